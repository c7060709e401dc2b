"""Citizens' accounts: a profile with notification preferences, the verified identities a user may hold,
and what they follow.

Sign-up, e-mail addresses (several per user, each verified) and passwords belong to django-allauth
(`account.EmailAddress`). Identities from external providers (SPID and CIE, through spid-cie-oidc) are
`Identity` rows: a user may hold several, and adding a provider adds rows, not columns.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openmandato.programs.models import Action, Area, Municipality, Section


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Subito, un'e-mail per ogni novità")
    DAILY = "daily", _("Un riepilogo al giorno")
    WEEKLY = "weekly", _("Un riepilogo alla settimana")
    NEVER = "never", _("Nessuna e-mail (solo nel sito)")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="citizen_profile",
        verbose_name=_("utente"),
    )
    display_name = models.CharField(
        _("nome pubblico"),
        max_length=60,
        blank=True,
        help_text=_("Il nome mostrato accanto ai tuoi contributi. L'indirizzo e-mail non è mai mostrato."),
    )
    email_frequency = models.CharField(
        _("e-mail di notifica"),
        max_length=10,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATE,
    )
    language = models.CharField(
        _("lingua delle e-mail"), max_length=5, choices=settings.LANGUAGES, default="it"
    )
    changed_at = models.DateTimeField(auto_now=True)  # also touched by follow/unfollow (page ETags)
    deleted_at = models.DateTimeField(_("account cancellato il"), null=True, blank=True)

    class Meta:
        verbose_name = _("profilo")
        verbose_name_plural = _("profili")

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        if self.deleted_at is not None:
            return str(_("utente cancellato"))
        return self.display_name or str(_("Cittadino"))


class Identity(models.Model):
    """A verified identity from an external provider: (provider, subject) names one person once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="identities",
        verbose_name=_("utente"),
    )
    provider = models.CharField(_("fornitore"), max_length=30, help_text=_("Ad esempio spid o cie."))
    subject = models.CharField(_("identificativo"), max_length=255)
    verified_at = models.DateTimeField(_("verificata il"))
    claims = models.JSONField(_("attributi"), default=dict, blank=True)

    class Meta:
        verbose_name = _("identità verificata")
        verbose_name_plural = _("identità verificate")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="identity_unique_provider_subject")
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.pk}"


class FollowKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("comune")
    SECTION = "section", _("sezione")
    AREA = "area", _("area responsabile")
    ACTION = "action", _("azione")


TARGET_FIELDS = {kind: kind for kind in FollowKind.values}
TARGET_MODELS = {"municipality": Municipality, "section": Section, "area": Area, "action": Action}


class Follow(models.Model):
    """A user follows exactly one of: a comune, a section (Valenza's stakeholder groups are its
    sections), a responsible area or an action."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows", verbose_name=_("utente")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("dal"), auto_now_add=True)

    class Meta:
        verbose_name = _("elemento seguito")
        verbose_name_plural = _("elementi seguiti")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        municipality__isnull=False,
                        section__isnull=True,
                        area__isnull=True,
                        action__isnull=True,
                    )
                    | Q(
                        municipality__isnull=True,
                        section__isnull=False,
                        area__isnull=True,
                        action__isnull=True,
                    )
                    | Q(
                        municipality__isnull=True,
                        section__isnull=True,
                        area__isnull=False,
                        action__isnull=True,
                    )
                    | Q(
                        municipality__isnull=True,
                        section__isnull=True,
                        area__isnull=True,
                        action__isnull=False,
                    )
                ),
                name="follow_exactly_one_target",
            ),
            *[
                models.UniqueConstraint(
                    fields=["user", field],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"follow_once_{field}",
                )
                for field in TARGET_FIELDS.values()
            ],
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.target_id}"

    @property
    def kind(self) -> str:
        return next(kind for kind, field in TARGET_FIELDS.items() if getattr(self, f"{field}_id"))

    @property
    def target_id(self) -> int:
        return getattr(self, f"{TARGET_FIELDS[self.kind]}_id")

    @property
    def target(self):
        return getattr(self, TARGET_FIELDS[self.kind])
