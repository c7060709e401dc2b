"""The state of a mandate on a given date, as the report prints it (today: exactly what the portal shows)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from openmandato.accountability.models import LedgerEntry, ProgressUpdate
from openmandato.accountability.tree import SectionRow, program_tree
from openmandato.programs.models import Mandate
from openmandato.programs.status import status_counts


@dataclass
class MandateState:
    mandate: Mandate
    as_of: datetime.date
    progress: float | None
    status_counts: list[tuple[str, str, int]]
    leaf_count: int
    sections: list[SectionRow]  # in program order, each with its depth
    ledger_head: LedgerEntry | None
    ledger_count: int
    has_demo_data: bool


def mandate_state(mandate: Mandate, as_of: datetime.date | None = None) -> MandateState:
    as_of = as_of or timezone.localdate()
    tree = program_tree(mandate, as_of=as_of, with_indicators=True)
    leaves = [row.action for row in tree.leaves()]
    entries = LedgerEntry.objects.filter(mandate=mandate, created_at__date__lte=as_of)
    return MandateState(
        mandate=mandate,
        as_of=as_of,
        progress=tree.progress,
        status_counts=status_counts(action.status for action in leaves),
        leaf_count=len(leaves),
        sections=tree.sections(),
        ledger_head=entries.order_by("-seq").first(),
        ledger_count=entries.count(),
        has_demo_data=ProgressUpdate.objects.filter(
            action__mandate=mandate, date__lte=as_of, is_demo=True
        ).exists(),
    )
