"""Atom feeds of progress updates, per municipality and per action.

An entry is published on the update's own date (what the administration states), not when the row was
written: an update dated 16/07/2022 entered today is a 2022 entry. A correction is published on its date
and carries the moment it was recorded as `updated`, so feed readers show it again.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from openmandato.accountability.models import ProgressUpdate
from openmandato.programs.models import Action, Municipality


def _published_updates():
    return (
        ProgressUpdate.objects.public().in_current_mandate().select_related("action__mandate__municipality")
    )


NEWEST_FIRST = ("-date", "-created_at", "-pk")


class UpdatesFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item):
        return f"{item.action.title} — {item.get_status_display()} {item.progress}%"

    def item_description(self, item):
        return item.note_html or item.get_status_display()

    def item_link(self, item):
        return f"{item.action.get_absolute_url()}#update-{item.pk}"

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time()))

    def item_updateddate(self, item):
        published = self.item_pubdate(item)
        return max(published, item.created_at) if item.corrects_id else published


class MunicipalityFeed(UpdatesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Municipality.objects.public(), slug=slug)

    def title(self, obj):
        return _("Aggiornamenti del programma di mandato — %(name)s") % {"name": obj.name}

    def link(self, obj):
        return reverse("portal:municipality", args=[obj.slug])

    def items(self, obj):
        return _published_updates().filter(action__mandate__municipality=obj).order_by(*NEWEST_FIRST)[:50]


class ActionFeed(UpdatesFeed):
    def get_object(self, request, slug, pk):
        return get_object_or_404(
            Action.objects.published().select_related("mandate"), pk=pk, mandate__municipality__slug=slug
        )

    def title(self, obj):
        return _("Aggiornamenti: %(title)s") % {"title": obj.title}

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return _published_updates().filter(action=obj).order_by(*NEWEST_FIRST)[:50]
