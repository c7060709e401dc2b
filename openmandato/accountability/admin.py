from django.contrib import admin

from openmandato.accountability.models import (
    Evidence,
    Indicator,
    LedgerEntry,
    Measurement,
    ProgressUpdate,
)
from openmandato.core.admin import NoWrites, ReadOnlyAdmin
from openmandato.core.admin_scoping import ScopedAdmin


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
