from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from openmandato.notifications.models import EmailState, Event, Notification


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "municipality", "created_at"]
    list_filter = ["kind"]
    search_fields = ["key"]
    raw_id_fields = ["municipality", "action"]


@admin.action(description=_("Rimetti in coda le e-mail selezionate"))
def requeue(modeladmin, request, queryset):
    from openmandato.notifications.services import schedule_send

    queryset.filter(email_state=EmailState.FAILED).update(email_state=EmailState.PENDING, email_attempts=0)
    schedule_send()


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Staff see here the e-mails that failed (and in "Task results" the failed tasks)."""

    list_display = ["event", "user", "email_state", "email_attempts", "email_error", "created_at"]
    list_filter = ["email_state", "event__kind"]
    raw_id_fields = ["user", "event"]
    actions = [requeue]
