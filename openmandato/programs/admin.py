from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from openmandato.programs.models import Action, Area, Mandate, Municipality, Principle, Section


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "region", "istat_code", "slug"]
    list_filter = ["region", "province"]
    search_fields = ["name", "istat_code", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class PrincipleInline(admin.TabularInline):
    model = Principle
    extra = 0
    fields = ["position", "title", "text"]


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "mayor", "period", "is_current", "action_count", "imported_at"]
    list_filter = ["is_current", "municipality"]
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
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name", "municipality__name"]
    list_select_related = ["municipality"]


class ActionInline(admin.TabularInline):
    model = Action
    fk_name = "section"
    extra = 0
    fields = ["position", "code", "title", "status", "progress", "weight", "due_date", "budget"]
    show_change_link = True


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "mandate", "parent", "position"]
    list_filter = ["mandate__municipality", "mandate"]
    search_fields = ["title", "summary", "objective"]
    list_select_related = ["mandate__municipality", "parent"]
    autocomplete_fields = ["parent", "areas"]
    inlines = [ActionInline]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "section", "status", "progress", "due_date", "budget", "mandate"]
    list_filter = ["status", "mandate__municipality", "mandate", "areas", "dup_mission"]
    search_fields = ["code", "title", "text", "section__title"]
    list_select_related = ["section", "mandate__municipality"]
    autocomplete_fields = ["section", "parent", "areas"]
    date_hierarchy = "due_date"
    fieldsets = [
        (None, {"fields": ["section", "parent", "position", "code", "title", "text", "areas"]}),
        (_("Stato"), {"fields": ["status", "progress", "weight"]}),
        (_("Programmazione"), {"fields": ["due_date", "budget", "dup_mission", "dup_program"]}),
    ]
