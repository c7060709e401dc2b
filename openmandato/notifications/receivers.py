"""Listening to the apps that make things happen; each receiver only enqueues a task. Accountability's
signals come inside the write's transaction: the task is queued in it (a rollback drops it, a worker
sees it only after the commit). Participation's signals come after the commit."""

from openmandato.accountability.signals import measurement_recorded, progress_recorded
from openmandato.citizens.signals import personal_data_requested, user_deleted
from openmandato.notifications import services
from openmandato.taskqueue import enqueue_in_transaction

PARTICIPATION_SIGNALS = (
    "comment_posted",
    "official_answer_posted",
    "proposal_answered",
    "contest_posted",
    "contest_answered",
)


def on_progress(sender, update, previous=None, **kwargs):
    from openmandato.notifications.tasks import fan_out_update

    if update.is_demo or update.from_indicators:
        return
    enqueue_in_transaction(fan_out_update, update.pk, previous.status if previous is not None else None)


def on_measurement(sender, measurement, **kwargs):
    from openmandato.notifications.tasks import fan_out_measurement

    if not measurement.is_demo:
        enqueue_in_transaction(fan_out_measurement, measurement.pk)


def participation_receiver(signal_name: str):
    def receive(sender, **kwargs):
        from openmandato.notifications.tasks import fan_out_participation

        obj = next(
            (value for key, value in kwargs.items() if key not in ("signal",) and hasattr(value, "_meta")),
            None,
        )
        if obj is not None:
            fan_out_participation.enqueue(signal_name, obj._meta.label_lower, obj.pk)

    receive.__name__ = f"on_{signal_name}"
    return receive


_receivers = []  # signals hold weak references: keep the closures alive


def connect() -> None:
    progress_recorded.connect(on_progress, dispatch_uid="notifications-progress")
    measurement_recorded.connect(on_measurement, dispatch_uid="notifications-measurement")
    personal_data_requested.connect(services.personal_data, dispatch_uid="notifications-personal-data")
    user_deleted.connect(services.forget_user, dispatch_uid="notifications-forget-user")
    try:
        from openmandato.participation import signals as participation
    except ImportError:  # pragma: no cover - the participation app is not there yet
        return
    for name in PARTICIPATION_SIGNALS:
        signal = getattr(participation, name, None)
        if signal is not None:
            receiver = participation_receiver(name)
            _receivers.append(receiver)
            signal.connect(receiver, dispatch_uid=f"notifications-{name}")
