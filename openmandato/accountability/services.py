"""Recording progress on an action."""

from __future__ import annotations

import datetime

from django.db import transaction

from openmandato.accountability.models import ProgressUpdate
from openmandato.programs.models import Action


def record_progress(
    action: Action,
    *,
    status: str,
    progress: int,
    date: datetime.date,
    note: str = "",
    author=None,
    is_demo: bool = False,
) -> ProgressUpdate:
    """Append an update; the action's current status and progress are those of its latest update."""
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        update = ProgressUpdate.objects.create(
            action=action,
            status=status,
            progress=progress,
            date=date,
            note=note,
            author=author,
            is_demo=is_demo,
        )
        latest = action.updates.latest()
        Action.objects.filter(pk=action.pk).update(status=latest.status, progress=latest.progress)
    return update
