"""A citizen signs up with an e-mail address, confirms it from the link in the real message the SMTP
server received, and only then can sign in; the honeypot and the sign-up limits stop robots."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from openmandato.citizens.models import Profile

pytestmark = pytest.mark.django_db
SIGNUP = "/area-personale/signup/"
PASSWORD = "una-password-lunga-42"


def signup_form(email="anna@example.org", **extra):
    return {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": "Anna",
        "accept_privacy": "on",
        "website": "",
        **extra,
    }


def test_it_signs_up_confirms_by_email_and_then_signs_in(client, smtp_server):
    response = client.post(SIGNUP, signup_form())
    assert response.status_code == 302
    user = get_user_model().objects.get(email="anna@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert Profile.objects.get(user=user).display_name == "Anna"

    # Not verified yet: signing in sends the person back to "check your mailbox".
    client.logout()
    response = client.post("/area-personale/login/", {"login": "anna@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session

    message = smtp_server.messages[0]
    assert message["To"] == "anna@example.org"
    link = re.search(r"https?://\S+/area-personale/confirm-email/\S+/", smtp_server.body(0)).group(0)
    path = "/" + link.split("/", 3)[3]
    page = client.get(path)
    assert page.status_code == 200
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    client.logout()
    response = client.post("/area-personale/login/", {"login": "anna@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/area-personale/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "Area personale" in client.get("/area-personale/").content.decode()


def test_it_refuses_a_signup_that_filled_the_honeypot(client, smtp_server):
    response = client.post(SIGNUP, signup_form(website="http://spam.example"))
    assert response.status_code == 200
    assert "Registrazione non riuscita" in response.content.decode()
    assert not get_user_model().objects.filter(email="anna@example.org").exists()
    assert smtp_server.messages == []


def test_it_needs_the_privacy_notice_accepted(client):
    form = signup_form()
    del form["accept_privacy"]
    assert client.post(SIGNUP, form).status_code == 200
    assert not get_user_model().objects.exists()


def test_it_limits_signups_per_address(client, settings, smtp_server):
    settings.SIGNUP_LIMIT_PER_IP = 2
    assert client.post(SIGNUP, signup_form("a@example.org")).status_code == 302
    client.logout()
    assert client.post(SIGNUP, signup_form("b@example.org")).status_code == 302
    client.logout()
    response = client.post(SIGNUP, signup_form("c@example.org"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Troppe registrazioni" in response.content.decode()
    assert not get_user_model().objects.filter(email="c@example.org").exists()


def test_it_limits_signups_per_email_from_many_addresses(client, settings):
    settings.SIGNUP_LIMIT_PER_EMAIL = 1
    client.post(SIGNUP, signup_form("same@example.org"), REMOTE_ADDR="10.0.0.1")
    client.logout()
    response = client.post(SIGNUP, signup_form("same@example.org"), REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429


def test_a_public_name_with_markup_is_escaped_and_one_with_an_address_is_refused(client, smtp_server):
    client.post(SIGNUP, signup_form(display_name="<script>alert(1)</script>"))
    user = get_user_model().objects.get(email="anna@example.org")
    EmailAddress.objects.filter(user=user).update(verified=True)
    client.force_login(user)
    page = client.get("/area-personale/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    response = client.post(
        "/area-personale/",
        {"display_name": "scrivimi a x@y.it", "email_frequency": "immediate", "language": "it"},
    )
    assert "non può contenere un indirizzo e-mail" in response.content.decode()
    response = client.post(
        "/area-personale/", {"display_name": "Anna\x00", "email_frequency": "immediate", "language": "it"}
    )
    assert response.status_code == 200  # a NUL byte is a message on the form, never a 500
