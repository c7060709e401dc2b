"""Admin classes scoped to the municipalities where the user has a role, with every write audited."""

from __future__ import annotations

import re

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

from openmandato.core.audit import record_audit, snapshot
from openmandato.core.models import is_tenant_link, tenant_model
from openmandato.core.permissions import can_edit_program, staff_municipalities

# The ORM path from each scoped foreign key's model to its municipality, for limiting choices.
SCOPED_CHOICES = {
    "municipality": "pk",
    "mandate": "municipality",
    "section": "mandate__municipality",
    "action": "mandate__municipality",
}


# Django's Italian admin messages assume a masculine noun starting with a consonant ("Il azione ... è
# stato aggiunto"). These models are feminine; names starting with a vowel take "L'".
FEMININE_MODELS = {"area", "section", "action", "measurement", "evidence"}
_SAVED = re.compile(
    r'^Il (?P<name>.+?) "(?P<obj>.*)" è stato (?P<verb>aggiunto|modificato) con successo\.(?P<rest>.*)$', re.S
)
_DELETED = re.compile(r'^(?P<name>.+?) "(?P<obj>.*)" cancellato correttamente\.$', re.S)


def italian_admin_message(message: str, verbose_name: str, feminine: bool) -> str:
    """Rewrite Django's Italian add/change/delete confirmations with the right article and agreement."""
    text = str(message)
    name = str(verbose_name)
    article = "L'" if name[:1].lower() in "aeiou" else ("La " if feminine else "Il ")
    end = "a" if feminine else "o"
    saved, deleted = _SAVED.match(text), _DELETED.match(text)
    if saved and saved["name"] == name:
        verb = saved["verb"][:-1] + end
        rest = saved["rest"].replace("modificarlo", "modificarla" if feminine else "modificarlo")
        if feminine:
            rest = rest.replace(f"un altro {name}", f"un'altra {name}")
        result = f"{article}{name} «{saved['obj']}» è stat{end} {verb} con successo.{rest}"
    elif deleted and deleted["name"].lower() == name.lower():
        result = f"{article}{name} «{deleted['obj']}» è stat{end} eliminat{end}."
    else:
        return message
    return mark_safe(result) if isinstance(message, SafeData) else result  # noqa: S308 - parts already escaped


class ScopedAdmin(admin.ModelAdmin):
    municipality_path = "municipality"  # ORM path from the model to its Municipality

    def message_user(self, request, message, *args, **kwargs):
        if get_language() == "it":
            feminine = self.model._meta.model_name in FEMININE_MODELS
            message = italian_admin_message(message, self.model._meta.verbose_name, feminine)
        return super().message_user(request, message, *args, **kwargs)

    def municipality_id_of(self, obj: Model) -> int | None:
        target = obj
        for part in self.municipality_path.split("__"):
            target = getattr(target, part, None)
            if target is None:
                return None
        return target.pk

    def can_write(self, request, municipality_id: int | None) -> bool:
        return municipality_id is not None and can_edit_program(request.user, municipality_id)

    def writable_municipalities(self, request):
        """Where this user may write with this admin: the only choices offered in its forms."""
        if request.user.is_superuser:
            return tenant_model().objects.all()
        allowed = [m.pk for m in staff_municipalities(request.user) if self.can_write(request, m.pk)]
        return tenant_model().objects.filter(pk__in=allowed)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.municipality_path}__in": staff_municipalities(request.user)})

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.can_write(request, self.municipality_id_of(obj)))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.can_write(request, self.municipality_id_of(obj)))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            related = db_field.related_model
            path = self.municipality_path if related is self.model else SCOPED_CHOICES.get(db_field.name)
            if related is tenant_model():
                path = "pk"
            if path:
                kwargs["queryset"] = related._default_manager.filter(
                    **{f"{path}__in": self.writable_municipalities(request)}
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not request.user.is_superuser and db_field.name == "areas":
            kwargs["queryset"] = db_field.related_model.objects.filter(
                municipality__in=self.writable_municipalities(request)
            )
        if is_tenant_link(db_field):
            return self.tenant_link_formfield(db_field, request, **kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def tenant_link_formfield(self, db_field, request, **kwargs):
        """Django's admin leaves out many-to-many fields with an explicit `through` model; a TenantLink
        adds only the key, filled when the form's save_m2m writes the links, so the field is edited like
        an automatic one (autocomplete when listed in autocomplete_fields)."""
        db = kwargs.get("using")
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(db_field, self.admin_site, using=db)
        if "queryset" not in kwargs:
            queryset = self.get_field_queryset(db, db_field, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return db_field.formfield(**kwargs)

    def check(self, **kwargs):
        """Django's checks, without admin.E013 ("manually specifies a relationship model") for the TenantLink
        fields listed in `fields` or `fieldsets`: tenant_link_formfield edits them."""
        links = [f"ManyToManyField '{f.name}'" for f in self.model._meta.many_to_many if is_tenant_link(f)]
        errors = super().check(**kwargs)
        return [e for e in errors if not (e.id == "admin.E013" and any(link in e.msg for link in links))]

    def save_model(self, request, obj, form, change):
        # Both where the object was and where the form would put it must be writable.
        before_obj = type(obj).objects.get(pk=obj.pk) if change and obj.pk else None
        places = {self.municipality_id_of(obj)}
        if before_obj is not None:
            places.add(self.municipality_id_of(before_obj))
        if not all(self.can_write(request, place) for place in places):
            raise PermissionDenied
        before = snapshot(before_obj) if before_obj is not None else None
        super().save_model(request, obj, form, change)
        request.openmandato_audit_before = before

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        verb = "change" if change else "create"
        before = getattr(request, "openmandato_audit_before", None)
        record_audit(
            request.user, self.municipality_id_of(obj), verb, obj, before=before, after=snapshot(obj)
        )

    def save_formset(self, request, form, formset, change):
        """Inline rows (e.g. actions under a section) are audited one by one."""
        municipality_id = self.municipality_id_of(form.instance)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_audit(request.user, municipality_id, "delete", obj, before=snapshot(obj))
            obj.delete()
        for obj in instances:
            before = snapshot(type(obj).objects.get(pk=obj.pk)) if obj.pk else None
            obj.save()
            record_audit(
                request.user,
                municipality_id,
                "change" if before else "create",
                obj,
                before=before,
                after=snapshot(obj),
            )
        formset.save_m2m()

    def delete_model(self, request, obj):
        municipality_id = self.municipality_id_of(obj)
        if not self.can_write(request, municipality_id):
            raise PermissionDenied
        before = snapshot(obj)
        record_audit(request.user, municipality_id, "delete", obj, before=before)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
