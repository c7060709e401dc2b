"""What OpenMandato keeps of a national identity beyond citizens.Identity: the fiscal code, the one key on
which a SPID, a CIE and an e-mail account are reunited, and a comune's "verified resident" flag."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openmandato.core.models import LoggedModel
from openmandato.programs.models import Municipality


class FiscalCode(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="fiscal_code",
        verbose_name=_("utente"),
    )
    code = models.CharField(_("codice fiscale"), max_length=16, unique=True)
    # empty while the code only comes from a staff invitation, set by the first SPID/CIE sign-in
    verified_at = models.DateTimeField(_("verificato il"), null=True, blank=True)

    class Meta:
        verbose_name = _("codice fiscale")
        verbose_name_plural = _("codici fiscali")

    def __str__(self) -> str:
        return f"{self.code[:3]}…"


class VerifiedResident(LoggedModel):
    """Shown on contributions only as "residente verificato", never with the data behind it."""

    class Source(models.TextChoices):
        IDENTITY = "identity", _("attributi dell'identità digitale")
        STAFF = "staff", _("verificato dal comune")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="residences",
        verbose_name=_("utente"),
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("comune")
    )
    source = models.CharField(_("fonte"), max_length=10, choices=Source.choices)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verificato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("residente verificato")
        verbose_name_plural = _("residenti verificati")
        constraints = [models.UniqueConstraint(fields=["user", "municipality"], name="resident_once")]

    def __str__(self) -> str:
        return str(_("residente verificato"))


class ResidentRule(LoggedModel):
    """A comune's own rule on verified residents, set by its administrators in the back-office. A comune
    without a row follows the instance default, RESIDENTS_ONLY_PROPOSALS."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("comune")
    )
    residents_only_proposals = models.BooleanField(
        _("proposte solo dai residenti verificati"),
        default=False,
        help_text=_("Solo chi è residente verificato di questo comune può presentare una proposta."),
    )
    changed_at = models.DateTimeField(_("modificata il"), auto_now=True)

    class Meta:
        verbose_name = _("regola sui residenti")
        verbose_name_plural = _("regole sui residenti")

    def __str__(self) -> str:
        return str(_("regola sui residenti"))
