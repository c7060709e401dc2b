"""Who has which role in which municipality, and the audit log of every write.

The core imports no other app of the project: it names the tenant models ("programs.Municipality",
"programs.Area") in its relations only, and finds them through those relations at run time. The tables
keep the names they had when these models lived in `accountability`.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

MUNICIPALITY = "programs.Municipality"
AREA = "programs.Area"


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Amministratore del comune")
    AREA_MANAGER = "area_manager", _("Responsabile di area")
    EDITOR = "editor", _("Redattore del programma")
    MODERATOR = "moderator", _("Moderatore della partecipazione")


# Relations followed, in order, to find the municipality an object belongs to.
TENANT_PATHS = ("municipality", "mandate", "action", "section", "indicator", "update", "program_import")


class LoggedModel(models.Model):
    """Audit as a model method (pretix's LoggingMixin.log_action): the entry finds its municipality
    from the object, so no write can forget it."""

    class Meta:
        abstract = True

    def tenant(self):
        """The municipality this object belongs to (None for none)."""
        if type(self) is tenant_model():
            return self
        for name in TENANT_PATHS:
            parent = getattr(self, name, None) if hasattr(self, f"{name}_id") else None
            if parent is not None:
                return parent if name == "municipality" else parent.tenant()
        return None

    def audit_municipality_id(self) -> int | None:
        if type(self) is tenant_model():
            return self.pk
        if getattr(self, "municipality_id", None) is not None:
            return self.municipality_id
        for name in TENANT_PATHS[1:]:
            parent = getattr(self, name, None) if hasattr(self, f"{name}_id") else None
            if parent is not None and hasattr(parent, "audit_municipality_id"):
                return parent.audit_municipality_id()
        return None

    def log_action(self, verb: str, *, user, before=None, after=None) -> AuditEntry:
        return AuditEntry.record(user, self.audit_municipality_id(), verb, self, before=before, after=after)


class Membership(LoggedModel):
    """A user's role in one municipality. Area managers act only on the actions of their areas."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("utente"),
    )
    municipality = models.ForeignKey(
        MUNICIPALITY, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("comune")
    )
    role = models.CharField(_("ruolo"), max_length=20, choices=Role.choices)
    areas = models.ManyToManyField(AREA, blank=True, verbose_name=_("aree"))

    class Meta:
        db_table = "accountability_membership"
        verbose_name = _("ruolo nel comune")
        verbose_name_plural = _("ruoli nei comuni")
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality", "role"], name="membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.municipality})"


def tenant_model():
    """The municipality model, found through the membership's relation (the core imports no app)."""
    return Membership._meta.get_field("municipality").related_model


def snapshot(instance) -> dict:
    """A JSON-safe picture of a model instance's editable fields."""
    data = model_to_dict(instance)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


class AuditEntry(models.Model):
    """Who changed what in the back-office, and how it looked before and after."""

    at = models.DateTimeField(_("quando"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("utente")
    )
    municipality = models.ForeignKey(
        MUNICIPALITY, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("comune")
    )
    verb = models.CharField(_("operazione"), max_length=20)
    model = models.CharField(_("oggetto"), max_length=60)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(_("descrizione"), max_length=255)
    before = models.JSONField(_("prima"), null=True, blank=True)
    after = models.JSONField(_("dopo"), null=True, blank=True)

    class Meta:
        db_table = "accountability_auditentry"
        verbose_name = _("voce di audit")
        verbose_name_plural = _("registro delle modifiche")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["municipality", "-at"], name="audit_municipality_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.verb} {self.object_repr}"

    @classmethod
    def record(cls, user, municipality_id, verb: str, instance, *, before=None, after=None) -> AuditEntry:
        return cls.objects.create(
            user=user if getattr(user, "is_authenticated", False) else None,
            municipality_id=municipality_id,
            verb=verb,
            model=instance._meta.label_lower,
            object_id=str(instance.pk),
            object_repr=str(instance)[:255],
            before=before,
            after=after,
        )

    def verb_label(self) -> str:
        from openmandato.core.audit_display import VERBS

        return str(VERBS.get(self.verb, self.verb))

    def model_label(self) -> str:
        from openmandato.core.audit_display import model_label

        return model_label(self.model)

    def changes(self):
        from openmandato.core.audit_display import describe

        return describe(self)
