"""The pages participation touches run a fixed number of queries, whatever the number of comments,
replies, supports, proposals and contests."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from openmandato.participation import services
from openmandato.tests.fixtures import make_user

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_activity(world, update, n: int, start: int):
    for i in range(start, start + n):
        user = make_user(f"person{i}", staff=False)
        comment = services.post_comment(world.action_a, user=user, body=f"Commento {i}")
        services.post_comment(world.action_a, user=world.users["citizen"], body="Risposta", parent=comment)
        services.support_action(world.action_a, user=user)
        services.support_action(world.action_b, user=user)
        services.submit_proposal(world.municipality, user=user, kind="new_action", title=f"P{i}", body="x")
        services.contest_update(update, user=user, claim="status", reason=f"Motivo {i}")
        if i % 2:
            services.hide_comment(comment, user=world.users["moderator"], reason="Spam")


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_cost_the_same_with_1_or_8_of_everything(citizens, update, settings, signed_in):
    settings.PARTICIPATION_RATE_USER = settings.PARTICIPATION_RATE_IP = ""
    client = Client()
    if signed_in:
        client.force_login(citizens.users["moderator"])
    slug = citizens.municipality.slug
    urls = [
        citizens.action_a.get_absolute_url(),
        f"/{slug}/actions/?sort=-supports",
        f"/{slug}/proposte/",
        f"/{slug}/",
    ]
    if signed_in:
        urls += [
            "/backoffice/partecipazione/moderazione/?show=recent",
            "/backoffice/partecipazione/segnalazioni/",
        ]
    add_activity(citizens, update, 1, 0)
    few = {url: queries(client, url) for url in urls}
    add_activity(citizens, update, 7, 1)
    many = {url: queries(client, url) for url in urls}
    assert many == few
