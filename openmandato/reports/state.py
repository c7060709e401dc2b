"""The state of a mandate on a given date, as the report prints it (today: exactly what the portal shows)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from openmandato.accountability import rollup
from openmandato.accountability.models import Evidence, LedgerEntry, Measurement, ProgressUpdate
from openmandato.programs.models import Action, Area, Mandate, Section
from openmandato.programs.status import Status


@dataclass
class ActionState:
    action: Action
    status: str
    progress: int
    last_update: ProgressUpdate | None
    children: list[ActionState] = field(default_factory=list)
    rolled_up: float | None = None

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def indicators(self) -> list[tuple]:
        """Each indicator with its latest measurement up to the report's date (or None)."""
        rows = []
        for indicator in self.action.indicators.all():
            measurements = list(indicator.measurements.all())
            rows.append((indicator, measurements[-1] if measurements else None))
        return rows


@dataclass
class SectionState:
    section: Section
    depth: int
    progress: float | None
    actions: list[ActionState]


@dataclass
class MandateState:
    mandate: Mandate
    as_of: datetime.date
    progress: float | None
    status_counts: list[tuple[str, str, int]]
    leaf_count: int
    sections: list[SectionState]
    ledger_head: LedgerEntry | None
    ledger_count: int
    has_demo_data: bool


def mandate_state(mandate: Mandate, as_of: datetime.date | None = None) -> MandateState:
    as_of = as_of or timezone.localdate()
    areas = Prefetch("areas", queryset=Area.objects.order_by("name"))
    sections = list(mandate.sections.prefetch_related(areas))
    actions = list(
        mandate.actions.active().prefetch_related(
            areas,
            Prefetch(
                "indicators__measurements",
                queryset=Measurement.objects.filter(date__lte=as_of).order_by("date"),
            ),
        )
    )
    updates = list(
        ProgressUpdate.objects.filter(action__mandate=mandate, date__lte=as_of)
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("date", "created_at", "pk")
    )
    corrected = {update.corrects_id for update in updates if update.corrects_id}
    current = {}
    for update in updates:
        if update.pk not in corrected:
            current[update.action_id] = update
    for action in actions:
        update = current.get(action.pk)
        action.status, action.progress = (
            (update.status, update.progress) if update else (Status.NOT_STARTED, 0)
        )
    section_progress, action_progress = rollup.tree_progress(sections, actions)

    states = {
        a.pk: ActionState(a, a.status, a.progress, current.get(a.pk), rolled_up=action_progress.get(a.pk))
        for a in actions
    }
    by_section: dict[int, list[ActionState]] = {}
    for action in sorted(actions, key=lambda a: (a.position, a.pk)):
        parent = states.get(action.parent_id)
        (parent.children if parent else by_section.setdefault(action.section_id, [])).append(
            states[action.pk]
        )
    ordered = _tree_order(sections)
    leaves = [s for s in states.values() if not s.children]
    weighted = [(s.action.rollup_share, 0 if s.status == Status.ABANDONED else s.progress) for s in leaves]
    total = sum(share for share, _p in weighted)
    counts = {status.value: 0 for status in Status}
    for leaf in leaves:
        counts[leaf.status] += 1
    entries = LedgerEntry.objects.filter(mandate=mandate, created_at__date__lte=as_of)
    return MandateState(
        mandate=mandate,
        as_of=as_of,
        progress=sum(share * p for share, p in weighted) / total if total else None,
        status_counts=[(s.value, s.label, counts[s.value]) for s in Status],
        leaf_count=len(leaves),
        sections=[
            SectionState(s, depth, section_progress.get(s.pk), by_section.get(s.pk, []))
            for s, depth in ordered
        ],
        ledger_head=entries.order_by("-seq").first(),
        ledger_count=entries.count(),
        has_demo_data=any(u.is_demo for u in updates),
    )


def _tree_order(sections: list[Section]) -> list[tuple[Section, int]]:
    children: dict[int | None, list[Section]] = {}
    for section in sorted(sections, key=lambda s: (s.position, s.pk)):
        children.setdefault(section.parent_id, []).append(section)
    ordered = []

    def walk(parent_id, depth):
        for section in children.get(parent_id, []):
            ordered.append((section, depth))
            walk(section.pk, depth + 1)

    walk(None, 0)
    return ordered
