"""Background work of the notifications, run by the django-tasks worker (`openmandato db_worker`).

Every task can be run again safely: events are unique by what happened, notifications by (user, event),
and each e-mail is claimed before it is sent.
"""

from openmandato.notifications import services
from openmandato.taskqueue import background_task


def _send_if_pending() -> None:
    from openmandato.notifications.models import EmailState, Notification

    if Notification.objects.filter(email_state=EmailState.PENDING).exists():
        services.schedule_send()


@background_task
def fan_out_update(update_id: int, previous_status: str | None = None) -> int:
    offered = services.fan_out_update(update_id, previous_status)
    _send_if_pending()
    return offered


@background_task
def fan_out_measurement(measurement_id: int) -> int:
    offered = services.fan_out_measurement(measurement_id)
    _send_if_pending()
    return offered


@background_task
def fan_out_participation(signal_name: str, model: str, pk: int) -> int:
    from django.apps import apps

    obj = apps.get_model(model).objects.filter(pk=pk).first()
    if obj is None:
        return 0
    offered = services.fan_out_participation(signal_name, obj)
    _send_if_pending()
    return offered


@background_task
def send_notification_emails() -> int:
    """Send pending e-mails; on an SMTP failure the run fails (visible to staff in the admin's task
    results) and is retried with exponential backoff (openmandato.taskqueue)."""
    return services.send_pending()


@background_task
def send_digests(frequency: str) -> int:
    return services.send_digests(frequency)


@background_task
def remind_stale_actions() -> int:
    reminded = services.remind_stale_actions()
    _send_if_pending()
    return reminded


@background_task
def sweep_notifications() -> int:
    stuck = services.sweep_stuck()
    _send_if_pending()
    return stuck
