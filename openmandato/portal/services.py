"""Read models for the public pages: fixed numbers of queries, trees assembled in memory."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from openmandato.accountability.models import ProgressUpdate
from openmandato.programs.models import Action, Area, Mandate, Municipality, Section
from openmandato.programs.status import Status


@dataclass
class ActionRow:
    action: Action
    children: list[ActionRow] = field(default_factory=list)


@dataclass
class SectionRow:
    section: Section
    actions: list[ActionRow] = field(default_factory=list)
    children: list[SectionRow] = field(default_factory=list)


@dataclass
class MandateOverview:
    mandate: Mandate
    sections: list[SectionRow]
    status_counts: list[tuple[str, str, int]]
    leaf_count: int
    has_demo_data: bool


def municipalities_with_current_mandate():
    current = Q(mandates__is_current=True)
    return Municipality.objects.annotate(
        action_count=Count("mandates__actions", filter=current & Q(mandates__actions__children__isnull=True)),
        done_count=Count(
            "mandates__actions",
            filter=current
            & Q(mandates__actions__status=Status.DONE, mandates__actions__children__isnull=True),
        ),
    ).order_by("name")


def mandate_overview(mandate: Mandate) -> MandateOverview:
    areas = Prefetch("areas", queryset=Area.objects.order_by("name"))
    sections = list(mandate.sections.prefetch_related(areas).order_by("position", "pk"))
    actions = list(mandate.actions.prefetch_related(areas).order_by("position", "pk"))
    action_rows = {action.pk: ActionRow(action) for action in actions}
    by_section: dict[int, list[ActionRow]] = defaultdict(list)
    for action in actions:
        row = action_rows[action.pk]
        if action.parent_id:
            action_rows[action.parent_id].children.append(row)
        else:
            by_section[action.section_id].append(row)
    section_rows = {section.pk: SectionRow(section, by_section[section.pk]) for section in sections}
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
        has_demo_data=ProgressUpdate.objects.filter(action__mandate=mandate, is_demo=True).exists(),
    )
