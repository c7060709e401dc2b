from django.contrib import admin

from openmandato.accountability.membership_form import MembershipByNameForm
from openmandato.accountability.models import (
    AuditEntry,
    Evidence,
    Indicator,
    LedgerEntry,
    Measurement,
    Membership,
    ProgressUpdate,
)
from openmandato.accountability.permissions import can_administer
from openmandato.programs.admin_scoping import ScopedAdmin


class NoWrites:
    """Append-only records: readable in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWrites, ScopedAdmin):
    pass


class EvidenceInline(NoWrites, admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["kind", "title", "act_kind", "act_number", "act_date", "url", "file", "sha256"]
    readonly_fields = fields


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin):
    municipality_path = "action__mandate__municipality"
    list_display = ["action", "date", "status", "progress", "author", "corrects", "is_demo"]
    list_filter = ["status", "is_demo", "from_indicators", "action__mandate__municipality"]
    search_fields = ["note", "action__title", "action__code"]
    list_select_related = ["action", "author", "corrects"]
    date_hierarchy = "date"
    exclude = ["note_html"]
    inlines = [EvidenceInline]


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdmin):
    municipality_path = "action__mandate__municipality"
    list_display = ["name", "unit", "baseline", "target", "direction", "action"]
    search_fields = ["name", "action__title"]
    list_select_related = ["action"]
    autocomplete_fields = ["action"]

    def get_readonly_fields(self, request, obj=None):
        """Measurements are chained in the ledger with their action: a measured indicator stays put."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_measured():
            fields.append("action")
        return fields


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    municipality_path = "indicator__action__mandate__municipality"
    list_display = ["indicator", "date", "value", "author", "is_demo"]
    list_select_related = ["indicator", "author"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    municipality_path = "mandate__municipality"
    list_display = ["seq", "mandate", "hash", "prev_hash", "update", "measurement", "created_at"]
    list_filter = ["mandate"]
    list_select_related = ["mandate__municipality", "update", "measurement"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    municipality_path = "municipality"
    list_display = ["at", "user", "municipality", "verb", "model", "object_repr"]
    list_filter = ["verb", "model", "municipality"]
    search_fields = ["object_repr", "user__username"]
    list_select_related = ["user", "municipality"]
    date_hierarchy = "at"


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    """Only a municipality's administrators (or superusers) grant roles in it."""

    municipality_path = "municipality"
    list_display = ["user", "municipality", "role"]
    list_filter = ["role", "municipality"]
    search_fields = ["user__username", "user__last_name", "municipality__name"]
    autocomplete_fields = ["areas"]
    list_select_related = ["user", "municipality"]

    def can_write(self, request, municipality_id):
        return can_administer(request.user, municipality_id)

    def get_form(self, request, obj=None, **kwargs):
        if not request.user.is_superuser:
            kwargs["form"] = MembershipByNameForm  # no list of every username on the instance
        return super().get_form(request, obj, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        membership = form.instance
        foreign = membership.areas.exclude(municipality_id=membership.municipality_id)
        if foreign.exists():
            membership.areas.remove(*foreign)  # an area manager's areas belong to the same municipality
