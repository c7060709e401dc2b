"""Read models for the public pages: fixed numbers of queries, trees assembled in memory."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery

from openmandato.accountability import ledger, rollup
from openmandato.accountability.models import Evidence, Indicator, Measurement, ProgressUpdate
from openmandato.programs.models import Action, Area, Mandate, Municipality, Section
from openmandato.programs.status import Status


@dataclass
class ActionRow:
    action: Action
    children: list[ActionRow] = field(default_factory=list)
    progress: float | None = None
    current: ProgressUpdate | None = None


@dataclass
class SectionRow:
    section: Section
    actions: list[ActionRow] = field(default_factory=list)
    children: list[SectionRow] = field(default_factory=list)
    progress: float | None = None


@dataclass
class MandateOverview:
    mandate: Mandate
    sections: list[SectionRow]
    status_counts: list[tuple[str, str, int]]
    leaf_count: int
    progress: float | None
    has_demo_data: bool


def municipalities_with_current_mandate():
    current = Q(mandates__is_current=True, mandates__is_published=True)
    leaf = Q(mandates__actions__children__isnull=True, mandates__actions__archived_at__isnull=True)
    return rollup.with_current_progress(
        Municipality.objects.annotate(
            action_count=Count("mandates__actions", filter=current & leaf),
            done_count=Count(
                "mandates__actions", filter=current & leaf & Q(mandates__actions__status=Status.DONE)
            ),
        )
    ).order_by("name")


def current_update_subquery():
    return Subquery(
        ProgressUpdate.objects.filter(action=OuterRef("pk"), corrections__isnull=True)
        .order_by("-date", "-created_at", "-pk")
        .values("pk")[:1]
    )


def mandate_overview(mandate: Mandate) -> MandateOverview:
    areas = Prefetch("areas", queryset=Area.objects.order_by("name"))
    sections = list(mandate.sections.prefetch_related(areas).order_by("position", "pk"))
    actions = list(
        mandate.actions.active()
        .annotate(current_update_id=current_update_subquery())
        .prefetch_related(areas)
        .order_by("position", "pk")
    )
    currents = ProgressUpdate.objects.filter(
        pk__in=[a.current_update_id for a in actions if a.current_update_id]
    )
    current_by_id = {
        u.pk: u for u in currents.prefetch_related(Prefetch("evidence", Evidence.objects.order_by("pk")))
    }
    section_progress, action_progress = rollup.tree_progress(sections, actions)

    action_rows = {
        a.pk: ActionRow(a, progress=action_progress.get(a.pk), current=current_by_id.get(a.current_update_id))
        for a in actions
    }
    by_section: dict[int, list[ActionRow]] = defaultdict(list)
    for action in actions:
        row = action_rows[action.pk]
        parent = action_rows.get(action.parent_id)
        (parent.children if parent else by_section[action.section_id]).append(row)
    section_rows = {
        s.pk: SectionRow(s, by_section[s.pk], progress=section_progress.get(s.pk)) for s in sections
    }
    roots = []
    for section in sections:
        row = section_rows[section.pk]
        (section_rows[section.parent_id].children if section.parent_id else roots).append(row)
    leaves = [row.action for row in action_rows.values() if not row.children]
    counts = Counter(action.status for action in leaves)
    return MandateOverview(
        mandate=mandate,
        sections=roots,
        status_counts=[(status.value, status.label, counts.get(status.value, 0)) for status in Status],
        leaf_count=len(leaves),
        progress=rollup.mandate_progress(mandate),
        has_demo_data=ProgressUpdate.objects.filter(action__mandate=mandate, is_demo=True).exists(),
    )


def action_detail(action: Action) -> dict:
    updates = (
        action.updates.select_related("corrects", "ledger_entry")
        .prefetch_related(Prefetch("evidence", Evidence.objects.order_by("pk")), "corrections")
        .order_by("-date", "-created_at", "-pk")
    )
    indicators = action.indicators.prefetch_related(
        Prefetch("measurements", Measurement.objects.order_by("date", "pk"))
    ).order_by("position", "pk")
    return {
        "action": action,
        "areas": list(action.areas.order_by("name")),
        "children": list(action.children.active().order_by("position")),
        "updates": list(updates),
        "indicators": [_indicator_view(indicator) for indicator in indicators],
    }


def _indicator_view(indicator: Indicator) -> dict:
    measurements = list(indicator.measurements.all())
    latest = measurements[-1] if measurements else None
    return {
        "indicator": indicator,
        "measurements": measurements,
        "progress": indicator.progress_for(latest.value) if latest else None,
    }


def ledger_head(mandate: Mandate | None):
    return ledger.head(mandate) if mandate else None


def weights_table(mandate: Mandate) -> dict:
    sections = list(rollup.with_section_progress(mandate.sections.order_by("path", "position")))
    actions = list(
        mandate.actions.active().select_related("section").order_by("section__path", "position", "pk")
    )
    return {"sections": sections, "actions": actions, "progress": rollup.mandate_progress(mandate)}
