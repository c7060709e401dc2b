"""Through real `openmandato db_worker` processes on the test database and a real SMTP server: a worker
killed half-way through a batch, and a second worker finishing it, never send anyone the same
notification twice; an SMTP server that is down makes the task fail visibly and retry with backoff."""

import asyncio
import collections
import datetime
import time

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openmandato.accountability.services import record_progress
from openmandato.citizens.models import Follow
from openmandato.notifications.models import EmailState, Notification
from openmandato.tests.citizens import make_citizen
from openmandato.tests.fixtures import Mailbox, build_world, free_port

pytestmark = pytest.mark.django_db(transaction=True)
FOLLOWERS = 30


class SlowMailbox(Mailbox):
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        await asyncio.sleep(0.15)
        return await super().handle_DATA(server, session, envelope)


def smtp(settings, mailbox, port=None):
    controller = Controller(mailbox, hostname="127.0.0.1", port=port or free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    return controller


def wait_for(condition, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def post_update(world):
    return record_progress(
        world.action_a,
        user=world.users["manager_a"],
        status="in_progress",
        progress=20,
        date=datetime.date.today(),
    )


def test_a_worker_killed_mid_batch_and_a_second_one_send_each_email_at_most_once(task_worker, settings):
    world = build_world()
    for index in range(FOLLOWERS):
        Follow.objects.create(user=make_citizen(f"follower{index:02d}"), action=world.action_a)
    mailbox = SlowMailbox()
    controller = smtp(settings, mailbox)
    controller.start()
    try:
        first = task_worker()
        post_update(world)
        wait_for(lambda: len(mailbox.messages) >= 8)
        first.kill()  # as a power cut: the running task stays RUNNING, one e-mail may be mid-send
        time.sleep(0.3)  # let the SMTP server finish receiving what was already on the wire
        states = collections.Counter(Notification.objects.values_list("email_state", flat=True))
        assert states[EmailState.PENDING] > 0, states  # really killed half-way

        killed_at = timezone.now()
        task_worker()
        call_command("send_notifications")  # what cron runs every few minutes
        # The killed worker's task stays RUNNING for ever (django-tasks-db does not reclaim it): wait for
        # the work queued after the kill.
        later = DBTaskResult.objects.filter(enqueued_at__gt=killed_at)
        wait_for(
            lambda: later.exists() and not later.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists(), 60
        )
    finally:
        controller.stop()

    received = collections.Counter(message["To"] for message in mailbox.messages)
    assert max(received.values()) == 1, received.most_common(3)  # nobody got anything twice
    sent = set(Notification.objects.filter(email_state=EmailState.SENT).values_list("user__email", flat=True))
    in_doubt = set(
        Notification.objects.filter(email_state=EmailState.SENDING).values_list("user__email", flat=True)
    )
    # Recorded as sent: really received. Claimed by the killed worker: received, except at most the one
    # that was on the wire when it died; none of them was sent again.
    assert sent <= set(received)
    assert len(in_doubt - set(received)) <= 1
    assert len(sent) + len(in_doubt) == FOLLOWERS
    assert set(received) <= sent | in_doubt


def test_a_dead_smtp_server_fails_the_task_visibly_and_the_retry_delivers(task_worker, settings):
    world = build_world()
    Follow.objects.create(user=make_citizen("paola"), action=world.action_a)
    settings.TASK_RETRY_SECONDS = 1
    mailbox = Mailbox()
    controller = smtp(settings, mailbox)  # not started yet: connections are refused
    worker = task_worker()
    post_update(world)
    wait_for(lambda: DBTaskResult.objects.filter(status="FAILED").exists())
    failed = DBTaskResult.objects.get(status="FAILED")
    assert failed.task_path.endswith("send_notification_emails")
    assert "ConnectionRefusedError" in str(failed.traceback)
    assert Notification.objects.get().email_state == EmailState.PENDING
    controller.start()
    try:
        worker.drain(timeout=30)
    finally:
        controller.stop()
    assert [message["To"] for message in mailbox.messages] == ["paola@example.org"]
    assert Notification.objects.get().email_state == EmailState.SENT
