"""Staff: a weekly reminder of their actions not updated for STALE_AFTER_DAYS (once a week however often
it runs), and news of comments and contests on their areas' actions."""

import datetime

import pytest
from django.core.management import call_command

from openmandato.accountability.services import record_progress
from openmandato.notifications import services
from openmandato.notifications.models import Notification
from openmandato.participation import signals as participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_with_addresses(world):
    for name, user in world.users.items():
        user.email = f"{name}@comune.example"
        user.save()
    return world


def test_the_weekly_reminder_lists_each_managers_stale_actions_once(
    staff_with_addresses, smtp_server, settings
):
    world = staff_with_addresses
    settings.STALE_AFTER_DAYS = 30
    record_progress(
        world.action_b,
        user=world.users["manager_b"],
        status="in_progress",
        progress=10,
        date=datetime.date.today(),
    )
    call_command("remind_stale_actions", "--now")
    by_address = {message["To"]: message for message in smtp_server.messages}
    assert set(by_address) == {"manager_a@comune.example", "admin@comune.example"}
    body = "\n".join(smtp_server.body(i) for i in range(len(smtp_server.messages)))
    assert "1 azioni non aggiornate da 30 giorni" in by_address["manager_a@comune.example"]["Subject"]
    assert "/backoffice/?show=stale" in body

    call_command("remind_stale_actions", "--now")  # the same week: nothing new
    assert len(smtp_server.messages) == 2
    next_week = datetime.date.today() + datetime.timedelta(days=7)
    assert services.remind_stale_actions(next_week) == 2


def test_a_contest_on_an_area_action_is_told_to_its_manager(staff_with_addresses, smtp_server):
    """The participation app's objects are not here yet: a progress update (it has an action and an
    author) stands in for the contested object the signal carries."""
    world = staff_with_addresses
    update = record_progress(
        world.action_a,
        user=world.users["admin"],
        status="in_progress",
        progress=5,
        date=datetime.date.today(),
    )
    participation.contest_posted.send(sender=None, contest=update)
    assert [m["To"] for m in smtp_server.messages] == ["manager_a@comune.example"]
    assert "nuova segnalazione di inesattezza" in smtp_server.messages[0]["Subject"]
    participation.contest_posted.send(sender=None, contest=update)
    assert Notification.objects.count() == 1
