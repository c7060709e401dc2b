"""Read models for the public pages: fixed numbers of queries, trees assembled in memory."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Avg, Count, F, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from openmandato.accountability import tlog
from openmandato.accountability.models import Evidence, Indicator, Measurement, ProgressUpdate
from openmandato.accountability.tree import ActionRow, SectionRow, program_tree  # noqa: F401
from openmandato.participation.queries import support_count_subquery
from openmandato.programs import rollup
from openmandato.programs.models import Action, Area, Mandate, Municipality, Section
from openmandato.programs.status import Status
from openmandato.programs.status import status_counts as counted_statuses


def public_summaries():
    """The summary rows of the comuni whose names are public (a comune with only a draft is not)."""
    from openmandato.portal.models import MunicipalitySummary
    from openmandato.programs.models import Municipality

    return MunicipalitySummary.objects.filter(municipality__in=Municipality.objects.public())


def home_summaries(region: str = "", province: str = ""):
    """The cards of `/`: one indexed read of the summary table, filtered by region and province."""
    summaries = (
        public_summaries()
        .select_related("municipality")
        .only("municipality__slug", "name", "region", "province", "progress", "action_count", "done_count")
    )
    if region:
        summaries = summaries.filter(region=region)
    if province:
        summaries = summaries.filter(province=province)
    return summaries.order_by("name", "municipality_id")


def home_regions() -> list[str]:
    return list(
        public_summaries().exclude(region="").order_by("region").values_list("region", flat=True).distinct()
    )


def home_provinces(region: str) -> list[str]:
    return list(
        public_summaries()
        .filter(region=region)
        .exclude(province="")
        .order_by("province")
        .values_list("province", flat=True)
        .distinct()
    )


def section_page(mandate: Mandate, section: Section, page_number, per_page: int) -> dict:
    """A section's page: its progress, its subsections (linked, with theirs) and its own actions a page at a
    time, each with its sub-actions, current update and sources. Its cost is that of one page of actions,
    whatever the size of the section or of the programme."""
    around = list(
        rollup.with_section_progress(
            mandate.sections.filter(Q(pk=section.pk) | Q(parent=section))
            .prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("name")))
            .order_by("tree_order", "pk")
        )
    )
    this = next(row for row in around if row.pk == section.pk)
    tops = mandate.actions.active().filter(section=section, parent__isnull=True).order_by("tree_order", "pk")
    page = Paginator(tops.values_list("tree_order", flat=True), per_page).get_page(page_number)
    rows = []
    shown = list(page.object_list)  # the programme order of this page's top-level actions
    if shown:
        # An action's sub-actions follow it in the programme order, before the next top-level action.
        first, last = shown[0], shown[-1]
        bound = tops.filter(tree_order__gt=last).values_list("tree_order", flat=True).first()
        actions = mandate.actions.active().filter(section=section, tree_order__gte=first)
        if bound is not None:
            actions = actions.filter(tree_order__lt=bound)
        actions = list(actions.order_by("tree_order", "pk"))
        currents = (
            ProgressUpdate.objects.filter(action__in=actions)
            .current()
            .prefetch_related(Prefetch("evidence", Evidence.objects.order_by("pk")))
        )
        current_by_action = {update.action_id: update for update in currents}
        progress = rollup.tree_progress([], actions).actions
        by_id = {}
        for action in actions:
            action.mandate = mandate  # links need the comune's slug: no query per row
            current = current_by_action.get(action.pk)
            row = ActionRow(action, progress=progress.get(action.pk), current=current)
            by_id[action.pk] = row
            parent = by_id.get(action.parent_id)
            (parent.children if parent else rows).append(row)
    return {
        "section": this,
        "subsections": [row for row in around if row.pk != section.pk],
        "page": page,
        "rows": rows,
    }


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


def page_context(request, **extra) -> dict:
    """What every page of a comune shows around its content (the tenant resolved for this request)."""
    return {
        "municipality": request.municipality,
        "mandate": request.mandate,
        "ledger_head": ledger_head(request.mandate),
        **extra,
    }


def weights_table(mandate: Mandate) -> dict:
    sections = list(rollup.with_section_progress(mandate.sections.order_by("tree_order", "pk")))
    actions = list(mandate.actions.active().select_related("section").order_by("tree_order", "pk"))
    return {"sections": sections, "actions": actions, "progress": rollup.mandate_progress(mandate)}


def status_counts(actions) -> list[tuple[str, str, int]]:
    return counted_statuses(dict(actions.order_by().values_list("status").annotate(n=Count("pk"))))


def dashboard(mandate: Mandate) -> dict:
    """The overview page of a mandate: fixed number of queries whatever the number of actions."""
    leaves = mandate.actions.active().leaves()
    today = timezone.localdate()
    overdue = leaves.overdue(today).select_related("section")
    sections = list(
        rollup.with_section_progress(
            mandate.sections.filter(path__regex=r"^/[0-9]+/([0-9]+/)?$").order_by("tree_order", "pk")
        )
    )
    for section in sections:
        section.depth = section.path.count("/") - 2
    recent = (
        ProgressUpdate.objects.filter(action__mandate=mandate)
        .uncorrected()
        .select_related("action__section")
        .order_by("-date", "-created_at")[:8]
    )
    recent = list(recent)
    overdue_list = list(overdue.order_by("due_date")[:10])
    # Their links need the comune's slug: the mandate in hand has it, no query per row.
    for action in [update.action for update in recent] + overdue_list:
        action.mandate = mandate
    return {
        "progress": rollup.mandate_progress(mandate),
        "status_counts": status_counts(leaves),
        "leaf_count": leaves.count(),
        "sections": sections,
        "recent": recent,
        "overdue": overdue_list,
        "overdue_count": overdue.count(),
        "principles": list(mandate.principles.order_by("position")),
        "has_demo_data": ProgressUpdate.objects.filter(action__mandate=mandate, is_demo=True).exists(),
    }


SORTS = {
    "code": ["tree_order", "pk"],
    "title": ["title", "pk"],
    "progress": ["progress", "pk"],
    "-progress": ["-progress", "pk"],
    "due_date": [F("due_date").asc(nulls_last=True), "pk"],
    "-updated": [F("last_update").desc(nulls_last=True), "pk"],
    "-supports": ["-support_count", "tree_order", "pk"],
}


def filtered_actions(mandate: Mandate, params: dict) -> QuerySet:
    """The action list with its filters; unknown or malformed values are ignored, never an error."""
    actions = (
        mandate.actions.active()
        .leaves()
        .select_related("section")
        .prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("name")))
        .annotate(last_update=Max("updates__date"), support_count=support_count_subquery())
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
        actions = actions.overdue()
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
    return Action.objects.public().in_current_mandate()
