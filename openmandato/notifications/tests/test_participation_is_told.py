"""Participation's signals reach the right people: a comment and a contest the area's manager, an official
answer the action's followers and the author of the comment it answers."""

import datetime

import pytest

from openmandato.accountability.services import record_progress
from openmandato.citizens.models import Follow
from openmandato.notifications.models import EventKind, Notification
from openmandato.participation import services as participation
from openmandato.tests.citizens import make_citizen

pytestmark = pytest.mark.django_db


def test_comments_and_official_answers_are_told(world, smtp_server, django_capture_on_commit_callbacks):
    world.users["manager_a"].email = "manager_a@comune.example"
    world.users["manager_a"].save()
    citizen, follower = make_citizen("tina"), make_citizen("ugo")
    Follow.objects.create(user=follower, action=world.action_a)
    record_progress(
        world.action_a,
        user=world.users["admin"],
        status="in_progress",
        progress=5,
        date=datetime.date.today(),
    )
    smtp_server.messages.clear()
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        comment = participation.post_comment(world.action_a, user=citizen, body="Quando si parte?")
    assert [m["To"] for m in smtp_server.messages] == ["manager_a@comune.example"]
    assert Notification.objects.get().event.kind == EventKind.COMMENT
    with django_capture_on_commit_callbacks(execute=True):
        participation.post_comment(
            world.action_a, user=world.users["manager_a"], body="A marzo.", parent=comment, official=True
        )
    kinds = dict(Notification.objects.values_list("user__username", "event__kind"))
    assert kinds == {"manager_a": "comment", "tina": "official_answer", "ugo": "official_answer"}
