"""Change markers and the home-page summary, kept by the writes.

Every save or delete of a row of the programme or accountability apps (and their many-to-many links)
bumps the marker of the comune it belongs to and the global marker, and refreshes the comune's summary
row, in the same transaction — once per key at the end of a `core.batching.write_batch()` (a service
call, an import) instead of once per row. Rows written by bulk loads (COPY, bulk_create) bypass the
signals: the
loader calls `rebuild_all()` at the end.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from openmandato.core.batching import later
from openmandato.portal.models import GLOBAL, ChangeMarker, MunicipalitySummary, municipality_key

# How to find the comune of a row, by the model's label.
MUNICIPALITY_OF = {
    "programs.Municipality": "pk",
    "programs.Mandate": "municipality_id",
    "programs.Area": "municipality_id",
    "programs.Section": "mandate__municipality_id",
    "programs.Principle": "mandate__municipality_id",
    "programs.Action": "mandate__municipality_id",
    "accountability.ProgressUpdate": "action__mandate__municipality_id",
    "accountability.Evidence": "update__action__mandate__municipality_id",
    "accountability.Indicator": "action__mandate__municipality_id",
    "accountability.Measurement": "indicator__action__mandate__municipality_id",
    "accountability.LedgerEntry": "mandate__municipality_id",
    "accountability.Checkpoint": "mandate__municipality_id",
    "core.AuditEntry": "municipality_id",
    # Citizens' participation shown on the public pages (comments, supports, proposals, contests).
    "participation.Comment": "municipality_id",
    "participation.CommentReport": "comment__municipality_id",
    "participation.Support": "action__mandate__municipality_id",
    "participation.Proposal": "municipality_id",
    "participation.ProposalSupport": "proposal__municipality_id",
    "participation.Contest": "municipality_id",
}
# Fields that name the comune directly or through one parent, read without a query when present.
DIRECT = ("municipality_id",)


def _municipality_id(instance) -> int | None:
    label = instance._meta.label
    lookup = MUNICIPALITY_OF.get(label)
    if lookup is None:
        return None
    if lookup == "pk":
        return instance.pk
    if lookup in DIRECT:
        return getattr(instance, lookup)
    first, _sep, rest = lookup.partition("__")
    parent_id = getattr(instance, f"{first}_id", None)
    if parent_id is None:
        return None
    parent_model = instance._meta.get_field(first).related_model
    return parent_model._base_manager.filter(pk=parent_id).values_list(rest, flat=True).first()


def note_change(municipality_id: int | None, *, slugs: tuple[str, ...] = ()) -> None:
    """A comune changed: bump its marker and the global one, and refresh its `/` summary.

    This runs inside the writer's transaction, so readers see the new marker exactly when they can see
    the new rows (the marker rows are locked until the commit: writes are serialised on them, which is
    fine for human-paced writes). During a bulk import (roll-up deferred) the summary waits for the
    import's final audited write."""
    from openmandato.programs import rollup
    from openmandato.programs.models import Municipality

    slugs = set(slugs)
    if municipality_id is not None and not slugs:
        slug = Municipality.objects.filter(pk=municipality_id).values_list("slug", flat=True).first()
        if slug:
            slugs.add(slug)
    keys = [GLOBAL, *sorted(municipality_key(slug) for slug in slugs)]
    later(("bump", *keys), lambda: bump(keys))
    if municipality_id is not None and not rollup.is_deferred():
        later(("summary", municipality_id), lambda: refresh_summary(municipality_id))


def bump(keys: list[str]) -> None:
    now = timezone.now()
    with transaction.atomic():
        updated = ChangeMarker.objects.filter(key__in=keys).update(version=F("version") + 1, changed_at=now)
        if updated < len(keys):
            ChangeMarker.objects.bulk_create(
                [ChangeMarker(key=key, version=1, changed_at=now) for key in keys], ignore_conflicts=True
            )


def refresh_summary(municipality_id: int) -> None:
    """The `/` card of a comune: its current published mandate's progress, actions and done actions."""
    from openmandato.programs import rollup
    from openmandato.programs.models import Mandate, Municipality
    from openmandato.programs.status import Status

    municipality = Municipality.objects.public().filter(pk=municipality_id).first()
    if municipality is None:
        MunicipalitySummary.objects.filter(municipality_id=municipality_id).delete()
        return
    mandate = Mandate.objects.filter(municipality=municipality, is_current=True, is_published=True).first()
    figures = {"progress": None, "action_count": 0, "done_count": 0}
    if mandate:
        leaves = mandate.actions.active().leaves().order_by()
        figures = leaves.aggregate(
            action_count=Count("pk"), done_count=Count("pk", filter=Q(status=Status.DONE))
        )
        figures["progress"] = rollup.mandate_progress(mandate)
    MunicipalitySummary.objects.update_or_create(
        municipality=municipality,
        defaults={
            "mandate": mandate,
            "name": municipality.name,
            "region": municipality.region,
            "province": municipality.province,
            **figures,
        },
    )


def rebuild_all() -> int:
    """Every summary and marker from scratch (after a bulk load that bypassed the signals)."""
    from openmandato.programs.models import Municipality

    MunicipalitySummary.objects.exclude(municipality__in=Municipality.objects.public()).delete()
    count = 0
    for municipality_id in Municipality.objects.public().values_list("pk", flat=True).iterator():
        refresh_summary(municipality_id)
        count += 1
    bump([GLOBAL, *(municipality_key(s) for s in Municipality.objects.values_list("slug", flat=True))])
    return count


def _on_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    slugs = ()
    if sender._meta.label == "programs.Municipality":
        slugs = tuple(filter(None, {instance.slug, getattr(instance, "_slug_before", None)}))
    note_change(_municipality_id(instance), slugs=slugs)


def _on_delete(sender, instance, **kwargs):
    if sender._meta.label == "programs.Municipality":
        note_change(None, slugs=(instance.slug,))
        MunicipalitySummary.objects.filter(municipality_id=instance.pk).delete()
        return
    note_change(_municipality_id(instance))


def _remember_slug(sender, instance, raw=False, **kwargs):
    if instance.pk and not raw:
        instance._slug_before = (
            sender._base_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()
        )


def _on_m2m(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        note_change(_municipality_id(instance))


def connect() -> None:
    from django.apps import apps

    for label in MUNICIPALITY_OF:
        try:
            model = apps.get_model(label)
        except LookupError:  # an app not installed in this configuration
            continue
        post_save.connect(_on_save, sender=model, dispatch_uid=f"changes-save-{label}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"changes-delete-{label}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _on_m2m, sender=field.remote_field.through, dispatch_uid=f"changes-m2m-{field}"
            )
    pre_save.connect(
        _remember_slug, sender=apps.get_model("programs.Municipality"), dispatch_uid="changes-slug"
    )
