"""The in-site inbox: the signed-in user's notifications only, newest first, read when opened."""

import pytest

from openmandato.notifications.models import Event, Notification
from openmandato.tests.citizens import make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(world):
    nadia, oscar = make_citizen("nadia"), make_citizen("oscar")
    url = f"/{world.municipality.slug}/actions/{world.action_a.pk}/"
    event = Event.objects.create(
        key="update:7",
        kind="update",
        url=url,
        data={"action": "<b>Piantare</b>", "status": "in_progress", "progress": 5},
    )
    mine = Notification.objects.create(user=nadia, event=event)
    theirs = Notification.objects.create(user=oscar, event=event)
    return nadia, mine, theirs, url


def test_it_lists_opens_and_marks_read(client, inbox):
    nadia, mine, theirs, url = inbox
    client.force_login(nadia)
    page = client.get("/area-personale/notifiche/").content.decode()
    assert "1 notifica da leggere" in page
    assert "&lt;b&gt;Piantare&lt;/b&gt;" in page  # escaped
    response = client.get(f"/area-personale/notifiche/{mine.pk}/")
    assert response.status_code == 302 and response["Location"] == url
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(f"/area-personale/notifiche/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(client, inbox):
    nadia, mine, theirs, _url = inbox
    client.force_login(nadia)
    client.post("/area-personale/notifiche/lette/")
    assert "0 notifiche da leggere" in client.get("/area-personale/notifiche/").content.decode()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_inbox_needs_sign_in(client):
    assert client.get("/area-personale/notifiche/").status_code == 302
