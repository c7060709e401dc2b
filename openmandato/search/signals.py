"""A program imported, edited, archived or (un)published: refresh search for its mandate afterwards."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from openmandato.programs.models import Action, Mandate, Section
from openmandato.search.tasks import schedule_refresh

SEARCH_FIELDS = {
    "title",
    "text",
    "code",
    "section",
    "archived_at",
    "dup_mission",
    "dup_program",
    "search_document",
}


@receiver(post_save, sender=Action)
def action_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and not SEARCH_FIELDS & set(update_fields)):
        return
    schedule_refresh(instance.mandate_id)


@receiver(post_delete, sender=Action)
def action_deleted(sender, instance, **kwargs):
    schedule_refresh(instance.mandate_id)


@receiver(post_save, sender=Section)
def section_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule_refresh(instance.mandate_id)


@receiver(post_save, sender=Mandate)
def mandate_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule_refresh(instance.pk)
