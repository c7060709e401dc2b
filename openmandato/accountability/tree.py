"""The one builder of a mandate's section tree, for every surface that shows it (portal, report).

The status source is a parameter: `as_of=None` reads each action's stored status and progress (what the
portal shows now); a date reads them from the updates recorded up to that date (the report "as of").
A fixed number of queries whatever the number of actions; the tree is assembled in memory.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from openmandato.accountability.models import Evidence, Measurement, ProgressUpdate
from openmandato.programs import rollup
from openmandato.programs.models import Action, Area, Mandate, Section
from openmandato.programs.status import Status


@dataclass
class ActionRow:
    action: Action  # its `status` and `progress` are those of the status source
    children: list[ActionRow] = field(default_factory=list)
    progress: float | None = None  # rolled up from the sub-actions (None for a leaf)
    current: ProgressUpdate | None = None  # the current update (as of the date), with its evidence

    @property
    def indicators(self) -> list[tuple]:
        """Each indicator with its latest measurement (up to the date, when loaded `with_indicators`)."""
        rows = []
        for indicator in self.action.indicators.all():
            measurements = list(indicator.measurements.all())
            rows.append((indicator, measurements[-1] if measurements else None))
        return rows


@dataclass
class SectionRow:
    section: Section
    actions: list[ActionRow] = field(default_factory=list)
    children: list[SectionRow] = field(default_factory=list)
    progress: float | None = None
    depth: int = 0


@dataclass
class ProgramTree:
    roots: list[SectionRow]
    actions: list[ActionRow]  # every active action's row, leaves and parents
    progress: float | None  # the mandate's

    def sections(self) -> list[SectionRow]:
        """Every section row in program order (depth first)."""
        ordered = []

        def walk(rows):
            for row in rows:
                ordered.append(row)
                walk(row.children)

        walk(self.roots)
        return ordered

    def leaves(self) -> list[ActionRow]:
        return [row for row in self.actions if not row.children]


def program_tree(
    mandate: Mandate, *, as_of: datetime.date | None = None, with_indicators: bool = False
) -> ProgramTree:
    areas = Prefetch("areas", queryset=Area.objects.order_by("name"))
    sections = list(mandate.sections.prefetch_related(areas).order_by("position", "pk"))
    actions = mandate.actions.active().prefetch_related(areas).order_by("position", "pk")
    if with_indicators:
        measurements = Measurement.objects.order_by("date")
        if as_of is not None:
            measurements = measurements.filter(date__lte=as_of)
        actions = actions.prefetch_related(Prefetch("indicators__measurements", queryset=measurements))
    actions = list(actions)
    currents = (
        ProgressUpdate.objects.filter(action__mandate=mandate, action__archived_at__isnull=True)
        .current(as_of)
        .prefetch_related(Prefetch("evidence", Evidence.objects.order_by("pk")))
    )
    current_by_action = {update.action_id: update for update in currents}
    if as_of is not None:
        for action in actions:
            update = current_by_action.get(action.pk)
            action.status, action.progress = (
                (update.status, update.progress) if update else (Status.NOT_STARTED, 0)
            )
    progress = rollup.tree_progress(sections, actions)

    action_rows = {
        a.pk: ActionRow(a, progress=progress.actions.get(a.pk), current=current_by_action.get(a.pk))
        for a in actions
    }
    by_section: dict[int, list[ActionRow]] = defaultdict(list)
    for action in actions:
        row = action_rows[action.pk]
        parent = action_rows.get(action.parent_id)
        (parent.children if parent else by_section[action.section_id]).append(row)
    section_rows = {
        s.pk: SectionRow(s, by_section[s.pk], progress=progress.sections.get(s.pk)) for s in sections
    }
    roots = []
    for section in sections:
        row = section_rows[section.pk]
        (section_rows[section.parent_id].children if section.parent_id else roots).append(row)
    tree = ProgramTree(roots, list(action_rows.values()), progress.mandate)
    for row in tree.sections():
        row.depth = 0 if row.section.parent_id is None else section_rows[row.section.parent_id].depth + 1
    return tree
