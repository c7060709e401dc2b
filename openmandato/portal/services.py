"""Read models for the public pages: fixed numbers of queries, trees assembled in memory."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from openmandato.accountability import rollup, tlog
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


def municipalities_with_current_mandate():
    current = Q(mandates__is_current=True, mandates__is_published=True)
    leaf = Q(mandates__actions__children__isnull=True, mandates__actions__archived_at__isnull=True)
    return rollup.with_current_progress(
        Municipality.objects.public().annotate(
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


def section_tree(mandate: Mandate) -> list[SectionRow]:
    """Every section with its actions (rolled-up progress, current update and its sources), as a tree."""
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
    return roots


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
    """The latest signed checkpoint of the mandate's transparency log (shown in the footer)."""
    return tlog.latest(mandate)


def weights_table(mandate: Mandate) -> dict:
    sections = list(rollup.with_section_progress(mandate.sections.order_by("tree_order", "pk")))
    actions = list(mandate.actions.active().select_related("section").order_by("tree_order", "pk"))
    return {"sections": sections, "actions": actions, "progress": rollup.mandate_progress(mandate)}


def status_counts(actions) -> list[tuple[str, str, int]]:
    counts = dict(actions.order_by().values_list("status").annotate(n=Count("pk")))
    return [(status.value, status.label, counts.get(status.value, 0)) for status in Status]


def dashboard(mandate: Mandate) -> dict:
    """The overview page of a mandate: fixed number of queries whatever the number of actions."""
    leaves = mandate.actions.active().leaves()
    today = timezone.localdate()
    open_statuses = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.PARTIALLY_DONE, Status.STALLED]
    overdue = leaves.filter(due_date__lt=today, status__in=open_statuses).select_related("section")
    sections = list(
        rollup.with_section_progress(
            mandate.sections.filter(path__regex=r"^/[0-9]+/([0-9]+/)?$").order_by("tree_order", "pk")
        )
    )
    for section in sections:
        section.depth = section.path.count("/") - 2
    recent = (
        ProgressUpdate.objects.filter(action__mandate=mandate, corrections__isnull=True)
        .select_related("action__section")
        .order_by("-date", "-created_at")[:8]
    )
    return {
        "progress": rollup.mandate_progress(mandate),
        "status_counts": status_counts(leaves),
        "leaf_count": leaves.count(),
        "sections": sections,
        "recent": list(recent),
        "overdue": list(overdue.order_by("due_date")[:10]),
        "overdue_count": overdue.count(),
        "principles": list(mandate.principles.order_by("position")),
        "has_demo_data": ProgressUpdate.objects.filter(action__mandate=mandate, is_demo=True).exists(),
    }


def find_section_row(rows: list[SectionRow], pk: int) -> SectionRow | None:
    for row in rows:
        if row.section.pk == pk:
            return row
        found = find_section_row(row.children, pk)
        if found:
            return found
    return None


SORTS = {
    "code": ["tree_order", "pk"],
    "title": ["title", "pk"],
    "progress": ["progress", "pk"],
    "-progress": ["-progress", "pk"],
    "due_date": [F("due_date").asc(nulls_last=True), "pk"],
    "-updated": [F("last_update").desc(nulls_last=True), "pk"],
}


def filtered_actions(mandate: Mandate, params: dict) -> QuerySet:
    """The action list with its filters; unknown or malformed values are ignored, never an error."""
    actions = (
        mandate.actions.active()
        .leaves()
        .select_related("section")
        .prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("name")))
        .annotate(last_update=Max("updates__date"))
    )
    statuses = [s for s in params.get("status", []) if s in Status.values]
    if statuses:
        actions = actions.filter(status__in=statuses)
    section = _int(params.get("section"))
    if section:
        path = mandate.sections.filter(pk=section).values_list("path", flat=True).first()
        actions = actions.filter(section_path__startswith=path) if path else actions.none()
    area = _int(params.get("area"))
    if area:
        actions = actions.filter(areas=area)
    if params.get("overdue") == "1":
        open_statuses = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.PARTIALLY_DONE, Status.STALLED]
        actions = actions.filter(due_date__lt=timezone.localdate(), status__in=open_statuses)
    query = (params.get("q") or "").strip()[:200]
    if query:
        from openmandato.portal.search import search_actions

        actions = search_actions(actions, query)
        if params.get("sort") not in SORTS:
            return actions
    return actions.order_by(*SORTS.get(params.get("sort"), SORTS["code"]))


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def area_summary(area: Area, mandate: Mandate) -> dict:
    actions = mandate.actions.active().leaves().filter(areas=area)
    mean = actions.aggregate(mean=Avg(rollup.effective_progress()))["mean"]
    return {"status_counts": status_counts(actions), "progress": mean, "count": actions.count()}


def group_by_municipality(actions, per_group: int | None = None) -> list[tuple[Municipality, list[Action]]]:
    groups: dict[int, tuple[Municipality, list[Action]]] = {}
    for action in actions:
        municipality = action.mandate.municipality
        group = groups.setdefault(municipality.pk, (municipality, []))
        if per_group is None or len(group[1]) < per_group:
            group[1].append(action)
    return list(groups.values())


def public_actions():
    return Action.objects.active().filter(mandate__is_current=True, mandate__is_published=True)
