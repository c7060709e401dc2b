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


class TenantRow(models.Model):
    """A row of one comune's data: it carries the municipality key (the distribution column on Citus, see
    docs/deploy.md) even when a parent already names the comune.

    `tenant_parent` names the foreign key whose row gives the key (e.g. "mandate"); save() fills
    `municipality_id` from it when it is not set, and bulk writes call `fill_municipality(rows)` before
    `bulk_create`."""

    tenant_parent: str | None = None

    municipality = models.ForeignKey(MUNICIPALITY, on_delete=models.CASCADE, related_name="+", editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.municipality_id is None:
            fill_municipality([self])
        super().save(*args, **kwargs)


def fill_municipality(rows) -> None:
    """Set `municipality_id` on rows of one TenantRow model that lack it, from their `tenant_parent`: the
    parent loaded on the row if there is one, else one query for all the parents not loaded."""
    rows = [row for row in rows if row.municipality_id is None]
    if not rows:
        return
    field = type(rows[0])._meta.get_field(type(rows[0]).tenant_parent)
    missing = set()
    for row in rows:
        if field.is_cached(row):
            parent = field.get_cached_value(row)
            row.municipality_id = parent.municipality_id if parent is not None else None
        elif getattr(row, field.attname) is not None:
            missing.add(getattr(row, field.attname))
    if missing:
        found = dict(
            field.related_model._base_manager.filter(pk__in=missing).values_list("pk", "municipality_id")
        )
        for row in rows:
            if row.municipality_id is None:
                row.municipality_id = found.get(getattr(row, field.attname))


class TenantRowQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        fill_municipality(objs)
        return super().bulk_create(objs, *args, **kwargs)


class TenantLink(TenantRow):
    """A row of a many-to-many link table between two rows of one comune (the explicit `through` model of
    a ManyToManyField), whose only column besides the two ends is the municipality key.

    Django's related managers (`action.areas.add()`, `.set()`, a ModelForm's save_m2m) write link rows
    with `bulk_create` on the default manager, which fills the key from `tenant_parent` here: no call
    site passes `through_defaults`. The admin edits these fields like automatic ones (core.admin_scoping)."""

    objects = TenantRowQuerySet.as_manager()

    class Meta:
        abstract = True


def is_tenant_link(field) -> bool:
    """Whether a many-to-many field's link table is a TenantLink (edited like an automatic one)."""
    through = getattr(getattr(field, "remote_field", None), "through", None)
    return isinstance(through, type) and issubclass(through, TenantLink)


class TenantOneToOneField(models.OneToOneField):
    """A one-to-one relation between two rows of a comune. The ORM sees a one-to-one field (reverse
    accessor, select_related); the database has no unique constraint on the column alone, because on
    Citus every unique constraint must include the distribution column: the model declares
    UniqueConstraint(fields=[name, "municipality"]) instead. The target row fixes the municipality, so the
    pair is unique exactly when the column is. The migrations see a plain ForeignKey (deconstruct)."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ForeignKey", args, kwargs


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
    areas = models.ManyToManyField(AREA, blank=True, through="MembershipArea", verbose_name=_("aree"))

    class Meta:
        db_table = "accountability_membership"
        verbose_name = _("ruolo nel comune")
        verbose_name_plural = _("ruoli nei comuni")
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality", "role"], name="membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.municipality})"


class MembershipArea(TenantLink):
    """An area manager's area: the link table of Membership.areas, with the comune's key."""

    tenant_parent = "membership"

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(AREA, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "accountability_membership_areas"
        verbose_name = _("area del ruolo")
        verbose_name_plural = _("aree dei ruoli")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "membership", "area"], name="membership_area_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} — {self.area_id}"


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
