"""With SPID/CIE on, an administrator of a comune invites a colleague by fiscal code from the staff page:
the code is checked (check character included) with a one-line error, the role is for that comune only
and the invitation is audited without the whole code. Off (the default), the page is as before."""

import html
import re

import pytest
from django.test import Client

from openmandato.core.models import AuditEntry, Membership
from openmandato.spid.models import FiscalCode
from openmandato.spid.services import check_character, normalise_fiscal_code

pytestmark = pytest.mark.django_db
CODE = "RSSMRA80A01H501U"


@pytest.fixture
def spid_enabled(settings):
    settings.LOGIN_METHODS = ["email", "spid"]
    settings.SPID_PROVIDERS = [("https://op.example.it/", "Provider")]
    return settings


def admin_client(world, who="admin"):
    client = Client()
    client.force_login(world.users[who])
    return client


def invite(client, world, code, role="editor", areas=(), municipality=None):
    return client.post(
        "/backoffice/staff/",
        {
            "invite": "fiscal_code",
            "cf-fiscal_code": code,
            "cf-municipality": (municipality or world.municipality).pk,
            "cf-role": role,
            "cf-areas": [a.pk for a in areas],
        },
        follow=True,
    )


def errors(response) -> list[str]:
    return [html.unescape(e) for e in re.findall(r'role="alert">([^<]+)<', response.content.decode())]


def test_the_check_character_is_computed_as_the_revenue_agency_does():
    assert check_character("RSSMRA80A01H501") == "U"
    assert check_character("BNCGLI85M41D969") == "D"
    assert check_character("RSSMRA80A01H50M") == "M"  # omocodia: a letter for a digit, recomputed
    assert normalise_fiscal_code("tinit-rssmra80a01h501u") == CODE
    assert normalise_fiscal_code("RSSMRA80A01H501A") == ""  # wrong check character
    assert normalise_fiscal_code("RSSMRA80A01H50MM") == "RSSMRA80A01H50MM"


def test_an_administrator_invites_by_fiscal_code_for_their_comune(world, spid_enabled):
    response = invite(admin_client(world), world, " rssmra80a01h501u ", "area_manager", [world.area_a])
    page = html.unescape(response.content.decode())
    assert "Ruolo assegnato: lo riceverà al primo accesso con SPID o CIE" in page
    invited = FiscalCode.objects.get(code=CODE)
    assert invited.verified_at is None and not invited.user.has_usable_password()
    membership = Membership.objects.get(user=invited.user)
    assert (membership.municipality, membership.role) == (world.municipality, "area_manager")
    assert list(membership.areas.all()) == [world.area_a]
    assert not Membership.objects.filter(user=invited.user, municipality=world.other_municipality).exists()
    assert "in attesa del primo accesso con SPID/CIE" in page
    entry = AuditEntry.objects.get(verb="invite", user=world.users["admin"])
    assert entry.after["role"] == "area_manager" and entry.after["fiscal_code"] == "RSSMRA…"
    assert CODE not in str(entry.after) and CODE not in page


@pytest.mark.parametrize(
    ("code", "line"),
    [
        ("RSSMRA80A01H501A", "Codice fiscale non valido: l'ultimo carattere (di controllo) non corrisponde."),
        ("RSSMRA80A01H501", "Codice fiscale non valido: servono 16 caratteri, come RSSMRA80A01H501U."),
        ("<script>alert(1)</script>", "Codice fiscale non valido: servono 16 caratteri"),
        ("RSSMRA80A01H501U\x00", "I caratteri null non sono ammessi."),
        ("12345678901", "Codice fiscale non valido: servono 16 caratteri"),
        ("9" * 400, "Assicurati che questo valore"),
    ],
)
def test_a_wrong_fiscal_code_gets_one_clear_line_and_nothing_is_created(world, spid_enabled, code, line):
    response = invite(admin_client(world), world, code)
    assert response.status_code == 200
    found = errors(response)
    assert len(found) == 1 and found[0].startswith(line), found
    assert "<script>alert" not in response.content.decode()
    assert not FiscalCode.objects.exists()
    assert Membership.objects.count() == Membership.objects.filter(user__fiscal_code__isnull=True).count()
    assert not AuditEntry.objects.filter(verb="invite").exists()


def test_nobody_invites_into_a_comune_they_do_not_administer(world, spid_enabled):
    for who in ("other_admin", "editor"):
        response = invite(admin_client(world, who), world, CODE)
        assert response.status_code in (200, 403)
    assert not FiscalCode.objects.exists()


def test_with_spid_off_the_staff_page_has_no_fiscal_code_form(world):
    client = admin_client(world)
    assert "cf-fiscal_code" not in client.get("/backoffice/staff/").content.decode()
    invite(client, world, CODE)
    assert not FiscalCode.objects.exists()
