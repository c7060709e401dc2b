"""A document uploaded in the back-office: parsed once, with the staff's edits kept beside the tree."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openmandato.core.models import LoggedModel
from openmandato.programs.models import Mandate, Municipality


class ProgramImport(LoggedModel):
    """One upload. `tree` is the parsed tree (never changed); `edits` the ordered review operations;
    after confirming, `document_titles` keeps each action's title as the document printed it, so a
    later revision can tell a title the staff edited from one the document changed."""

    token = models.CharField(max_length=32, db_index=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="program_imports", verbose_name=_("comune")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("utente")
    )
    filename = models.CharField(_("documento"), max_length=255)
    sha256 = models.CharField(max_length=64)
    format = models.CharField(max_length=10)

    class Status(models.TextChoices):
        PARSING = "parsing", _("analisi in corso")
        READY = "ready", _("pronta")
        FAILED = "failed", _("non leggibile")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READY)
    error = models.CharField(max_length=500, blank=True)
    # The uploaded bytes, kept only until the worker has parsed them (then emptied).
    document = models.BinaryField(default=b"", editable=False)
    tree = models.JSONField(default=dict)
    edits = models.JSONField(default=list)
    choices = models.JSONField(default=dict)
    document_titles = models.JSONField(default=dict)
    mandate = models.ForeignKey(
        Mandate, on_delete=models.SET_NULL, null=True, blank=True, related_name="program_imports"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("importazione")
        verbose_name_plural = _("importazioni")
        indexes = [
            models.Index(fields=["municipality", "sha256"], name="import_document_idx"),
            models.Index(fields=["mandate", "-confirmed_at"], name="import_mandate_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["token", "municipality"], name="import_unique_token")]

    def __str__(self) -> str:
        return self.filename
