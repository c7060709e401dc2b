"""Progress updates: the dated, append-only record of how far each action has got."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from openmandato.programs.models import Action
from openmandato.programs.status import Status


class ProgressUpdate(models.Model):
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="updates", verbose_name=_("azione")
    )
    date = models.DateField(_("data"), db_index=True)
    status = models.CharField(_("stato"), max_length=20, choices=Status.choices)
    progress = models.PositiveSmallIntegerField(_("avanzamento (%)"), validators=[MaxValueValidator(100)])
    note = models.TextField(_("nota"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("autore")
    )
    is_demo = models.BooleanField(
        _("dato dimostrativo"), default=False, help_text=_("Generato da load_demo: non è un dato reale.")
    )
    created_at = models.DateTimeField(_("registrato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("aggiornamento")
        verbose_name_plural = _("aggiornamenti")
        ordering = ["action", "date", "created_at"]
        get_latest_by = ["date", "created_at"]
        indexes = [models.Index(fields=["action", "-date", "-created_at"], name="update_latest_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="update_progress_max_100")
        ]

    def __str__(self) -> str:
        return f"{self.action} — {self.date:%d/%m/%Y} {self.get_status_display()} {self.progress}%"
