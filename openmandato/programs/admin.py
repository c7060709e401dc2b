from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from openmandato.core.admin_scoping import ScopedAdmin
from openmandato.core.permissions import can_administer
from openmandato.programs.models import Action, Area, Mandate, Municipality, Principle, Section


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdmin):
    municipality_path = "pk"
    list_display = ["name", "province", "region", "istat_code", "slug"]
    list_filter = ["region", "province"]
    search_fields = ["name", "istat_code", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def municipality_id_of(self, obj):
        return obj.pk

    def can_write(self, request, municipality_id):
        """A municipality's own record (name, slug, ISTAT code) is for its administrators."""
        return municipality_id is not None and can_administer(request.user, municipality_id)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        """A new municipality has no primary key to check roles on: adding one is for superusers."""
        if change:
            return super().save_model(request, obj, form, change)
        if not self.has_add_permission(request):
            raise PermissionDenied
        obj.save()
        request.openmandato_audit_before = None  # save_related audits the creation


class PrincipleInline(admin.TabularInline):
    model = Principle
    extra = 0
    fields = ["position", "title", "text"]


@admin.register(Mandate)
class MandateAdmin(ScopedAdmin):
    municipality_path = "municipality"
    list_display = ["title", "municipality", "mayor", "period", "is_current", "is_published", "action_count"]
    list_filter = ["is_current", "is_published", "municipality"]
    search_fields = ["title", "mayor", "municipality__name", "source_filename"]
    readonly_fields = ["source_filename", "source_sha256", "imported_at"]
    list_select_related = ["municipality"]
    inlines = [PrincipleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_action_count=Count("actions"))

    @admin.display(description=_("azioni"), ordering="_action_count")
    def action_count(self, obj):
        return obj._action_count


@admin.register(Area)
class AreaAdmin(ScopedAdmin):
    municipality_path = "municipality"
    list_display = ["name", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name", "municipality__name"]
    list_select_related = ["municipality"]


class ActionInline(admin.TabularInline):
    model = Action
    fk_name = "section"
    extra = 0
    fields = ["position", "code", "title", "weight", "due_date", "budget", "status", "progress"]
    readonly_fields = ["status", "progress"]
    show_change_link = True


@admin.register(Section)
class SectionAdmin(ScopedAdmin):
    municipality_path = "mandate__municipality"
    list_display = ["title", "mandate", "parent", "position", "weight"]

    list_filter = ["mandate__municipality", "mandate"]
    search_fields = ["title", "summary", "objective"]
    list_select_related = ["mandate__municipality", "parent"]
    autocomplete_fields = ["parent", "areas"]
    inlines = [ActionInline]


@admin.register(Action)
class ActionAdmin(ScopedAdmin):
    """Program text and planning. Status and progress come from progress updates (back-office)."""

    municipality_path = "mandate__municipality"

    def municipality_id_of(self, obj):
        """From the section the form chose (the mandate is only derived from it when saving)."""
        return obj.section.mandate.municipality_id if obj.section_id else None

    list_display = [
        "__str__",
        "section",
        "status",
        "progress",
        "due_date",
        "budget",
        "mandate",
        "archived_at",
    ]
    list_filter = ["status", "mandate__municipality", "mandate", "areas", "dup_mission", "archived_at"]
    search_fields = ["code", "title", "text", "section__title"]
    list_select_related = ["section", "mandate__municipality"]
    autocomplete_fields = ["section", "parent", "areas"]
    date_hierarchy = "due_date"
    readonly_fields = ["status", "progress"]
    fieldsets = [
        (None, {"fields": ["section", "parent", "position", "code", "title", "text", "areas"]}),
        (_("Stato"), {"fields": ["status", "progress", "progress_from_indicators", "weight", "archived_at"]}),
        (_("Programmazione"), {"fields": ["due_date", "budget", "dup_mission", "dup_program"]}),
    ]
