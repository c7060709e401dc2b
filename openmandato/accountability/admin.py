from django.contrib import admin

from openmandato.accountability.models import ProgressUpdate


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    """Updates are append-only: they can be read here, never changed or deleted."""

    list_display = ["action", "date", "status", "progress", "author", "is_demo"]
    list_filter = ["status", "is_demo", "action__mandate__municipality"]
    search_fields = ["note", "action__title", "action__code"]
    list_select_related = ["action", "author"]
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
