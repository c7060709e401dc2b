from django.contrib import admin

from openmandato.core.admin_scoping import ScopedAdmin
from openmandato.core.membership_form import MembershipByNameForm
from openmandato.core.models import AuditEntry, Membership
from openmandato.core.permissions import can_administer


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
