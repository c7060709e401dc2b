"""An administrator of a comune invites a colleague by e-mail with a role; the invitee sets a password
from a signed one-time link. No terminal and no Django admin needed."""

import html

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from openmandato.core.models import AuditEntry, Membership


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def invite(client, world, email, role, areas=()):
    return client.post(
        "/backoffice/staff/",
        {"email": email, "municipality": world.municipality.pk, "role": role, "areas": [a.pk for a in areas]},
        follow=True,
    )


def test_an_administrator_invites_an_area_manager_who_sets_a_password(world, smtp_server):
    response = invite(
        client_for(world.users["admin"]), world, "Bruno@Comune.Borgo.it", "area_manager", [world.area_a]
    )
    assert "Invito inviato a bruno@comune.borgo.it." in response.content.decode()
    invitee = get_user_model().objects.get(email="bruno@comune.borgo.it")
    assert not invitee.has_usable_password()
    membership = Membership.objects.get(user=invitee)
    assert (membership.municipality, membership.role) == (world.municipality, "area_manager")
    assert list(membership.areas.all()) == [world.area_a]
    assert AuditEntry.objects.filter(verb="invite", user=world.users["admin"]).count() == 1
    message = smtp_server.messages[0]
    assert message["To"] == "bruno@comune.borgo.it"
    assert "Comune di Borgo" in message["Subject"]
    body = smtp_server.body()
    assert "«Responsabile di area»" in body and "Area ambiente" in body
    link = smtp_server.link()
    assert "/accounts/invitation/" in link
    client = Client()
    page = client.get(link, follow=True)
    assert "Attiva il tuo account" in html.unescape(page.content.decode())
    welcome = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "Bruno-Borgo-2025!", "new_password2": "Bruno-Borgo-2025!"},
        follow=True,
    )
    body = welcome.content.decode()
    assert "Benvenuto! La tua password è attiva." in html.unescape(body)
    assert "Piantare alberi" in body and "Aprire il teatro" not in body  # only their area's actions
    assert "Link non più valido" in html.unescape(Client().get(link, follow=True).content.decode())


@pytest.mark.parametrize("who", ["manager_a", "editor", "other_admin"])
def test_only_the_comune_administrators_invite(world, smtp_server, who):
    response = invite(client_for(world.users[who]), world, "x@example.org", "administrator")
    assert response.status_code in (200, 403)
    assert not get_user_model().objects.filter(email="x@example.org").exists()
    assert smtp_server.messages == []


def test_an_area_manager_needs_an_area_and_nothing_is_created(world, smtp_server):
    response = invite(client_for(world.users["admin"]), world, "c@example.org", "area_manager")
    assert "Un responsabile di area ha bisogno di almeno un'area." in html.unescape(response.content.decode())
    assert not get_user_model().objects.filter(email="c@example.org").exists()
    assert smtp_server.messages == []


def test_an_unreachable_mail_server_creates_nothing(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    response = invite(client_for(world.users["admin"]), world, "d@example.org", "editor")
    assert "Non è stato possibile inviare l'e-mail" in html.unescape(response.content.decode())
    assert not get_user_model().objects.filter(email="d@example.org").exists()


def test_an_existing_account_gets_the_role_and_a_login_link(world, smtp_server):
    user = world.users["other_admin"]
    user.email = "altrove@example.org"
    user.save()
    invite(client_for(world.users["admin"]), world, "altrove@example.org", "editor")
    assert Membership.objects.filter(user=user, municipality=world.municipality, role="editor").exists()
    assert smtp_server.link().endswith("/accounts/login/")
