"""The status vocabulary of an action."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Non avviata")
    IN_PROGRESS = "in_progress", _("In corso")
    PARTIALLY_DONE = "partially_done", _("Parzialmente realizzata")
    DONE = "done", _("Realizzata")
    STALLED = "stalled", _("In stallo")
    ABANDONED = "abandoned", _("Abbandonata")
