"""Every notification e-mail carries a one-click unsubscribe (RFC 8058) that works without signing in:
the mail client POSTs "List-Unsubscribe=One-Click" to the signed link; a GET only asks."""

import datetime

import pytest
from django.test import Client

from openmandato.accountability.services import record_progress
from openmandato.citizens.models import Follow, Profile
from openmandato.notifications.models import Notification
from openmandato.tests.citizens import make_citizen

pytestmark = pytest.mark.django_db


def post_update(world, capture, progress):
    with capture(execute=True):
        record_progress(
            world.action_a,
            user=world.users["manager_a"],
            status="in_progress",
            progress=progress,
            date=datetime.date.today(),
        )


def test_one_click_stops_the_emails_but_not_the_inbox(world, smtp_server, django_capture_on_commit_callbacks):
    lucia = make_citizen("lucia")
    Follow.objects.create(user=lucia, action=world.action_a)
    post_update(world, django_capture_on_commit_callbacks, 10)
    link = str(smtp_server.messages[0]["List-Unsubscribe"]).strip().strip("<>")
    path = "/" + link.split("/", 3)[3]

    mail_client = Client(enforce_csrf_checks=True)  # no cookie, no CSRF token: like a mail client
    page = mail_client.get(path)
    assert page.status_code == 200 and "Non voglio più ricevere e-mail" in page.content.decode()
    assert Profile.objects.get(user=lucia).email_frequency == "immediate"  # a GET (link scanner) does nothing

    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "non ti invieremo più e-mail" in response.content.decode()
    assert Profile.objects.get(user=lucia).email_frequency == "never"

    post_update(world, django_capture_on_commit_callbacks, 20)
    assert len(smtp_server.messages) == 1
    assert Notification.objects.filter(user=lucia).count() == 2


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "MTA:1xV1b8:forged",
        "%00",
        "x" * 2000,
        "MQ:1xV1b8:HtA_Z4MtIMHDUNzrJn4u_c8-C9rVIMRYt_NV2qMiay4",
    ],
)
def test_a_forged_or_broken_token_changes_nothing(client, world, token):
    make_citizen("mario")
    response = client.post(f"/area-personale/notifiche/disiscrivi/{token}/")
    assert response.status_code in (400, 404)
    assert not Profile.objects.filter(email_frequency="never").exists()
