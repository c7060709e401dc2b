"""GDPR: a citizen downloads everything held about them as JSON and deletes the account; what they
contributed stays, credited to "utente cancellato"; e-mail addresses are never shown to others."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from openmandato.citizens.models import Follow, Identity, Profile
from openmandato.notifications.models import Event, Notification
from openmandato.tests.citizens import PASSWORD, make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def elena(world):
    user = make_citizen("elena")
    Follow.objects.create(user=user, action=world.action_a)
    Identity.objects.create(
        user=user, provider="spid", subject="TINIT-RSSLNE80A01H501X", verified_at=timezone.now()
    )
    event = Event.objects.create(key="update:1", kind="update", url="/x/", data={"action": "Piantare alberi"})
    Notification.objects.create(user=user, event=event)
    return user


def test_it_downloads_all_my_data_and_nobody_elses(client, world, elena):
    other = make_citizen("franco")
    Follow.objects.create(user=other, action=world.action_b)
    client.force_login(elena)
    response = client.get("/area-personale/i-miei-dati.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["email_addresses"] == [{"email": "elena@example.org", "verified": True, "primary": True}]
    assert data["profile"]["display_name"] == "Elena"
    assert [(f["kind"], f["id"]) for f in data["follows"]] == [("action", world.action_a.pk)]
    assert data["identities"][0]["provider"] == "spid"
    assert data["notifications"][0]["text"].startswith("«Piantare alberi»")
    assert "franco" not in response.content.decode()


def test_the_download_needs_a_signed_in_user(client):
    response = client.get("/area-personale/i-miei-dati.json")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_deleting_the_account_erases_the_person_and_keeps_the_row(client, world, elena):
    client.force_login(elena)
    assert client.post("/area-personale/cancella-account/", {"confirm": "no"}).status_code == 200
    assert get_user_model().objects.get(pk=elena.pk).is_active
    response = client.post("/area-personale/cancella-account/", {"confirm": "CANCELLA"})
    assert response.status_code == 302
    user = get_user_model().objects.get(pk=elena.pk)
    assert (user.username, user.email, user.is_active, user.has_usable_password()) == (
        f"deleted-{elena.pk}",
        "",
        False,
        False,
    )
    assert Profile.objects.get(user=user).public_name == "utente cancellato"
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Follow.objects.filter(user=user).exists()
    assert not Identity.objects.filter(user=user).exists()
    assert not Notification.objects.filter(user=user).exists()
    assert "_auth_user_id" not in client.session
    login = client.post("/area-personale/login/", {"login": "elena@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert login.status_code == 200


def test_staff_close_their_accounts_through_their_administrator(client, world):
    manager = world.users["manager_a"]
    client.force_login(manager)
    response = client.post("/area-personale/cancella-account/", {"confirm": "CANCELLA"})
    assert "amministratore del comune" in response.content.decode()
    assert get_user_model().objects.get(pk=manager.pk).is_active


def test_the_privacy_notice_promises_no_tracking(client):
    page = client.get("/area-personale/privacy/").content.decode()
    assert "Niente tracciamento" in page
    assert "JSON" in page


def test_public_pages_never_show_a_followers_address(client, world, elena):
    slug = world.municipality.slug
    for url in [f"/{slug}/", f"/{slug}/actions/{world.action_a.pk}/", f"/{slug}/areas/{world.area_a.pk}/"]:
        assert "elena@example.org" not in client.get(url).content.decode()
    client.force_login(elena)
    for url in [f"/{slug}/actions/{world.action_a.pk}/", "/area-personale/notifiche/"]:
        assert "@example.org" not in client.get(url).content.decode()
