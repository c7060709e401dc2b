"""The status vocabulary of an action."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Status(models.TextChoices):
    NOT_STARTED = "not_started", gettext_lazy("Non avviata")
    IN_PROGRESS = "in_progress", gettext_lazy("In corso")
    PARTIALLY_DONE = "partially_done", gettext_lazy("Parzialmente realizzata")
    DONE = "done", gettext_lazy("Realizzata")
    STALLED = "stalled", gettext_lazy("In stallo")
    ABANDONED = "abandoned", gettext_lazy("Abbandonata")


# Nothing more to report: never "da aggiornare", never overdue.
Status.FINISHED = frozenset({Status.DONE, Status.ABANDONED})
# Still to be done: the statuses that can be overdue or stale.
Status.OPEN = frozenset(status for status in Status if status not in Status.FINISHED)
# The roll-up counts these at 0 % whatever progress they last reported.
Status.COUNTS_AS_ZERO = frozenset({Status.ABANDONED})
FINISHED = Status.FINISHED


def status_counts(counts) -> list[tuple[str, str, int]]:
    """(value, label, count) for every status in order; `counts` maps values to counts or lists statuses."""
    if not isinstance(counts, dict):
        counts = Counter(counts)
    return [(status.value, status.label, counts.get(status.value, 0)) for status in Status]


def check_status_progress(status: str, progress: int) -> None:
    """One rule for every surface (back-office, API, spreadsheet): "Realizzata" is exactly 100 %,
    100 % is only "Realizzata", and "Non avviata" is 0 %. Raises a one-line ValidationError."""
    progress = int(progress)
    if status == Status.DONE and progress != 100:
        raise ValidationError(_("Un'azione realizzata è al 100%."), code="done")
    if progress == 100 and status != Status.DONE:
        raise ValidationError(
            _("Al 100%% l'azione è «%(done)s»: scegli quello stato o un avanzamento minore.")
            % {"done": Status.DONE.label},
            code="complete",
        )
    if status == Status.NOT_STARTED and progress != 0:
        raise ValidationError(
            _("Un'azione «%(status)s» è allo 0%%: scegli «%(running)s» o avanzamento 0.")
            % {"status": Status.NOT_STARTED.label, "running": Status.IN_PROGRESS.label},
            code="not_started",
        )
