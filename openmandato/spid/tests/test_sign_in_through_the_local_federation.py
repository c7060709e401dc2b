"""Citizens sign in with SPID and CIE through the real redirects of a local federation (spid-cie-oidc's
trust anchor and OpenID Provider): an account is made from the identity's attributes, found again on the
next sign-in and reunited with an e-mail account by a verified e-mail; every trust failure ends on the
sign-in page with one clear message and no account."""

from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse

from openmandato.citizens.models import Identity
from openmandato.spid.models import FiscalCode
from openmandato.spid.tests.conftest import DOWN, OP
from openmandato.spid.views import PENDING

pytestmark = pytest.mark.django_db

User = get_user_model()


def begin(client, method="spid", provider=OP):
    return client.get(reverse("spid:begin", args=[method]), {"provider": provider})


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def message_after(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def assert_refused(response, text: str):
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert text in message_after(response)
    assert not User.objects.exists()
    assert not Identity.objects.exists()
    assert not FiscalCode.objects.exists()


def test_a_citizen_signs_in_with_spid_and_gets_one_account(client, spid_on, provider_login):
    start = begin(client)
    assert start.status_code == 302
    query = parse_qs(urlsplit(start["Location"]).query)
    assert start["Location"].startswith(OP + "authorization?")
    assert query["code_challenge_method"] == ["S256"] and query["request"]

    back = provider_login(start["Location"], "mario", "mario-password")
    landed = client.get(path_of(back))
    assert landed.status_code == 302 and landed["Location"] == reverse("citizens:profile")
    assert client.get(reverse("citizens:profile")).status_code == 200

    user = User.objects.get()
    assert user.fiscal_code.code == "RSSMRA80A01H501U"
    identity = user.identities.get()
    assert identity.provider == "spid" and identity.claims["family_name"] == "Rossi"
    assert EmailAddress.objects.get(user=user).email == "mario.rossi@example.org"
    assert not user.has_usable_password()  # no credentials of our own for a SPID citizen

    # signing in again, this time with CIE, ends in the same account
    client.logout()
    back = provider_login(begin(client, "cie")["Location"], "mario", "mario-password")
    assert client.get(path_of(back))["Location"] == reverse("citizens:profile")
    assert User.objects.count() == 1
    assert set(user.identities.values_list("provider", flat=True)) == {"spid", "cie"}


def test_an_email_account_with_the_same_verified_email_is_reunited(client, spid_on, provider_login):
    giulia = User.objects.create_user("giulia", "giulia.bianchi@example.org", "a-long-password-1")
    EmailAddress.objects.create(user=giulia, email="giulia.bianchi@example.org", verified=True, primary=True)

    back = provider_login(begin(client)["Location"], "giulia", "giulia-password")
    client.get(path_of(back))

    assert User.objects.count() == 1
    assert FiscalCode.objects.get().user == giulia
    assert client.get(reverse("citizens:profile")).wsgi_request.user == giulia


def test_an_unverified_email_is_never_reunited(client, spid_on, provider_login):
    squatter = User.objects.create_user("squatter", "giulia.bianchi@example.org", "a-long-password-1")
    EmailAddress.objects.create(user=squatter, email="giulia.bianchi@example.org", verified=False)

    back = provider_login(begin(client)["Location"], "giulia", "giulia-password")
    client.get(path_of(back))

    assert User.objects.count() == 2
    assert FiscalCode.objects.get().user != squatter


def test_an_email_account_of_another_fiscal_code_is_not_taken_over(client, spid_on, provider_login):
    other = User.objects.create_user("other", "giulia.bianchi@example.org", "a-long-password-1")
    EmailAddress.objects.create(user=other, email="giulia.bianchi@example.org", verified=True)
    FiscalCode.objects.create(user=other, code="VRDLGU70A01F205R", verified_at="2026-01-01T00:00Z")

    back = provider_login(begin(client)["Location"], "giulia", "giulia-password")
    response = client.get(path_of(back))

    assert response["Location"] == reverse("account_login")
    assert "appartiene già a un account" in message_after(response)
    assert User.objects.count() == 1 and not Identity.objects.exists()


def test_an_unknown_provider_is_refused(client, spid_on):
    assert_refused(begin(client, provider="https://evil.example/op/"), "Fornitore d'identità sconosciuto")


def test_a_provider_that_is_down_is_reported(client, spid_on):
    assert_refused(begin(client, provider=DOWN), "non risponde")


def test_a_revoked_trust_mark_is_refused(client, spid_on):
    spid_on.run("revoke", OP)
    assert_refused(begin(client), "marchio di fiducia del fornitore d'identità è stato revocato")


def test_a_tampered_provider_statement_is_refused(client, spid_on):
    spid_on.run("impostor")
    assert_refused(begin(client), "La firma di un documento della federazione non è valida")


def test_an_expired_provider_statement_is_refused(client, spid_on, settings):
    settings.OIDCFED_CLOCK_SKEW = 0
    spid_on.run("expire")
    assert_refused(begin(client), "è scaduto")


def test_a_state_mismatch_is_refused(client, spid_on, provider_login):
    back = provider_login(begin(client)["Location"], "mario", "mario-password")
    forged = path_of(back).replace("state=", "state=x")
    assert_refused(client.get(forged), "non corrisponde alla richiesta")


def test_a_nonce_mismatch_is_refused(client, spid_on, provider_login):
    back = provider_login(begin(client)["Location"], "mario", "mario-password")
    session = client.session
    session[PENDING] = {**session[PENDING], "nonce": "another-sign-in"}
    session.save()
    assert_refused(client.get(path_of(back)), "non corrisponde alla richiesta")


def test_a_callback_without_a_sign_in_in_progress_is_refused(client, spid_on):
    assert_refused(client.get(reverse("spid:callback"), {"code": "x", "state": "y"}), "non corrisponde")


def test_staff_invited_by_fiscal_code_sign_in_with_spid_into_their_role(
    client, spid_on, provider_login, settings
):
    """The administrator invites by fiscal code from the staff page; the back-office then requires SPID/CIE
    level 2: the administrator's password session is sent to sign in again, and the invitee's first SPID
    sign-in lands in the back-office with the role, in the account the invitation made."""
    from django.test import Client

    from openmandato.core.models import Membership, Role
    from openmandato.tests.fixtures import make_municipality, make_user

    comune = make_municipality("Valenza")
    admin = make_user("sindaca")
    Membership.objects.create(user=admin, municipality=comune, role=Role.ADMINISTRATOR)
    office = Client()
    office.force_login(admin)
    invited = office.post(
        "/backoffice/staff/",
        {
            "invite": "fiscal_code",
            "cf-fiscal_code": "RSSMRA80A01H501U",
            "cf-municipality": comune.pk,
            "cf-role": "editor",
        },
    )
    assert invited.status_code == 302
    invitee = FiscalCode.objects.get(code="RSSMRA80A01H501U").user

    settings.LEVEL_OF_ASSURANCE = {**settings.LEVEL_OF_ASSURANCE, "staff": "L2"}
    refused = office.get("/backoffice/", follow=True)
    assert refused.redirect_chain[-1][0] == reverse("account_login")
    assert "richiede l'accesso con SPID o CIE" in unescape(refused.content.decode())

    start = client.get(reverse("spid:begin", args=["spid"]), {"provider": OP, "next": "/backoffice/"})
    landed = client.get(path_of(provider_login(start["Location"], "mario", "mario-password")))
    assert landed.status_code == 302 and landed["Location"] == "/backoffice/"
    assert client.session["om_loa"] == "L2"
    assert client.get("/backoffice/").status_code == 200
    assert client.get("/backoffice/").wsgi_request.user == invitee
    assert Membership.objects.get(user=invitee).role == Role.EDITOR
    assert Membership.objects.get(user=invitee).municipality == comune
    assert FiscalCode.objects.get(user=invitee).verified_at is not None
    assert User.objects.count() == 2  # the administrator and the invitee: no third account


def test_after_signing_in_only_a_path_of_this_site_is_followed(client, spid_on, provider_login):
    start = client.get(reverse("spid:begin", args=["spid"]), {"provider": OP, "next": "//evil.example/x"})
    landed = client.get(path_of(provider_login(start["Location"], "mario", "mario-password")))
    assert landed["Location"] == reverse("citizens:profile")
