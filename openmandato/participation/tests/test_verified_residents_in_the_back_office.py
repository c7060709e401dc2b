"""Each comune decides in its back-office whether its proposals need a verified resident, and its
administrators mark or unmark participants as verified residents with a short reason. Only that comune's
administrators may; every change is in the audit log; staff see participants' public names only."""

import html
import re

import pytest
from django.urls import reverse

from openmandato.citizens.models import Profile
from openmandato.core.models import AuditEntry
from openmandato.participation.models import Proposal
from openmandato.participation.services import post_comment, submit_proposal
from openmandato.spid import services
from openmandato.spid.models import FiscalCode, ResidentRule, VerifiedResident
from openmandato.tests.fixtures import make_user

pytestmark = pytest.mark.django_db
CODE = "RSSMRA80A01H501U"
REFUSED = "riservate ai residenti verificati"
PROPOSAL = {"kind": "new_action", "title": "Una panchina", "body": "In piazza"}


@pytest.fixture
def people(citizens):
    """Carla (public name "Pippo", real name and e-mail and fiscal code never shown) and Gianni took part
    in Borgo; "lontano" took part only in the other comune; "silente" nowhere."""
    carla, gianni = citizens.users["citizen"], citizens.users["citizen2"]
    carla.last_name, carla.email = "Rossi", "carla.rossi@example.org"
    carla.save()
    Profile.objects.update_or_create(user=carla, defaults={"display_name": "Pippo"})
    FiscalCode.objects.create(user=carla, code=CODE)
    post_comment(citizens.action_a, user=carla, body="Servono alberi")
    submit_proposal(citizens.municipality, user=gianni, kind="new_action", title="Sua", body="y")
    far = make_user("lontano", staff=False)
    far.first_name = "Lontano"
    far.save()
    submit_proposal(citizens.other_municipality, user=far, kind="new_action", title="Altrove", body="z")
    citizens.users["lontano"] = far
    citizens.users["silente"] = make_user("silente", staff=False)
    return citizens


def text(response) -> str:
    return html.unescape(response.content.decode())


def page_url(world, municipality=None):
    return reverse("participation:residents", args=[(municipality or world.municipality).slug])


def rule_url(world, municipality=None):
    return reverse("participation:resident_rule", args=[(municipality or world.municipality).slug])


def change_url(world, user, municipality=None):
    slug = (municipality or world.municipality).slug
    return reverse("participation:resident_change", args=[slug, user.pk])


def test_the_rule_is_each_comunes_own(client, people):
    admin, carla = people.users["admin"], people.users["citizen"]
    client.force_login(admin)
    assert client.post(rule_url(people), {"residents_only_proposals": "on"}).status_code == 302
    entry = AuditEntry.objects.get(model="spid.residentrule")
    assert (entry.user, entry.municipality, entry.verb) == (admin, people.municipality, "change")
    assert (entry.before, entry.after) == (
        {"residents_only_proposals": False},
        {"residents_only_proposals": True},
    )

    client.force_login(carla)
    here = reverse("participation:proposal_new", args=[people.municipality.slug])
    there = reverse("participation:proposal_new", args=[people.other_municipality.slug])
    form = client.get(here)
    assert form.status_code == 403 and REFUSED in text(form) and 'name="title"' not in text(form)
    count = Proposal.objects.count()
    refused = client.post(here, PROPOSAL)
    assert refused.status_code == 403 and REFUSED in text(refused)
    assert Proposal.objects.count() == count  # nothing written
    other = client.get(there)
    assert other.status_code == 200 and 'name="title"' in text(other)  # the other comune has no such rule
    assert client.post(there, PROPOSAL).status_code == 302
    assert Proposal.objects.count() == count + 1

    services.mark_resident(carla, people.municipality, by=admin, reason="Anagrafe")
    assert client.post(here, PROPOSAL).status_code == 302

    client.force_login(admin)
    client.post(rule_url(people), {})  # unticked: anyone signed in proposes again
    assert not ResidentRule.objects.get(municipality=people.municipality).residents_only_proposals
    assert AuditEntry.objects.filter(model="spid.residentrule").count() == 2


def test_the_instance_setting_is_the_default_of_comuni_that_have_not_chosen(client, settings, people):
    settings.RESIDENTS_ONLY_PROPOSALS = True
    assert services.residents_only_proposals(people.other_municipality)
    client.force_login(people.users["admin"])
    page = client.get(page_url(people))
    assert (
        'name="residents_only_proposals" class="form-check-input" id="id_residents_only_proposals" checked'
        in (page.content.decode())
    )
    client.post(rule_url(people), {})
    assert not services.residents_only_proposals(people.municipality)
    assert services.residents_only_proposals(people.other_municipality)
    client.force_login(people.users["citizen"])
    here = reverse("participation:proposal_new", args=[people.municipality.slug])
    assert client.post(here, PROPOSAL).status_code == 302


@pytest.mark.parametrize("who", ["other_admin", "editor", "moderator", "manager_a", "citizen"])
def test_only_the_comunes_administrators_change_the_rule_or_the_residents(client, people, who):
    carla = people.users["citizen"]
    services.mark_resident(people.users["citizen2"], people.municipality, by=people.users["admin"])
    audited = AuditEntry.objects.count()
    client.force_login(people.users[who])
    assert client.get(page_url(people)).status_code == 403
    assert client.post(rule_url(people), {"residents_only_proposals": "on"}).status_code == 403
    assert client.get(change_url(people, carla)).status_code == 403
    assert client.post(change_url(people, carla), {"mark": "1", "reason": "Io"}).status_code == 403
    gianni = people.users["citizen2"]
    assert client.post(change_url(people, gianni), {"mark": "0", "reason": "Io"}).status_code == 403
    assert not ResidentRule.objects.exists()
    assert list(VerifiedResident.objects.values_list("user", flat=True)) == [gianni.pk]
    assert AuditEntry.objects.count() == audited


def test_signed_out_visitors_are_sent_to_sign_in(client, people):
    response = client.post(rule_url(people), {"residents_only_proposals": "on"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(page_url(people)).status_code == 302
    assert not ResidentRule.objects.exists()


def test_the_list_shows_the_comunes_participants_by_public_name_only(client, people):
    client.force_login(people.users["admin"])
    page = text(client.get(page_url(people)))
    assert "Pippo" in page and "Gianni" in page
    for private in ["Rossi", "carla.rossi@example.org", CODE, CODE[:6], "lontano", "Lontano", "silente"]:
        assert private not in page
    assert (
        client.get(change_url(people, people.users["lontano"])).status_code == 404
    )  # not a participant here
    assert client.get(change_url(people, people.users["silente"])).status_code == 404
    assert client.get(reverse("participation:resident_change", args=["nessuno", 1])).status_code == 404
    # the other comune's administrator sees only their own comune's participants
    client.force_login(people.users["other_admin"])
    assert client.get(reverse("participation:residents_home")).url == page_url(
        people, people.other_municipality
    )
    theirs = text(client.get(page_url(people, people.other_municipality)))
    assert "Lontano" in theirs and "Pippo" not in theirs and "Gianni" not in theirs


def test_the_search_matches_the_public_name_and_nothing_behind_it(client, people):
    client.force_login(people.users["admin"])
    found = text(client.get(page_url(people), {"nome": "pip"}))
    assert "Pippo" in found and "Gianni" not in found
    assert 'type="search" name="q" value=""' in found  # the header's site search is left empty
    for private in ["Rossi", "carla", "example.org", CODE]:  # real name, username, e-mail, fiscal code
        assert "Pippo" not in text(client.get(page_url(people), {"nome": private})), private


@pytest.mark.parametrize("query", ["<script>alert(1)</script>", "Pip\x00po", "\x00", "P" * 100_000, "%_'\""])
def test_hostile_searches_are_harmless(client, people, query):
    client.force_login(people.users["admin"])
    response = client.get(page_url(people), {"nome": query})
    assert response.status_code == (400 if "\x00" in query else 200)  # security.odd_input refuses NUL
    assert "<script>alert(1)</script>" not in response.content.decode()
    if response.status_code == 200:  # the search box echoes at most 60 characters of it
        assert re.search(r'name="nome" value="([^"]*)"', response.content.decode())[1] == html.escape(
            query[:60]
        )


def test_an_administrator_marks_and_unmarks_with_a_reason_in_the_audit(client, people):
    admin, carla = people.users["admin"], people.users["citizen"]
    client.force_login(admin)
    form = text(client.get(change_url(people, carla)))
    assert "Pippo" in form and "Rossi" not in form and CODE not in form
    assert client.post(change_url(people, carla), {"mark": "1", "reason": "  "}).status_code == 400
    assert not VerifiedResident.objects.exists()

    response = client.post(change_url(people, carla), {"mark": "1", "reason": "Verificato all'anagrafe"})
    assert response.status_code == 302 and response.url == page_url(people)
    resident = VerifiedResident.objects.get(user=carla, municipality=people.municipality)
    assert (resident.source, resident.verified_by) == ("staff", admin)
    created = AuditEntry.objects.get(model="spid.verifiedresident", verb="create")
    assert created.after == {"source": "staff", "participant": carla.pk, "reason": "Verificato all'anagrafe"}
    assert (created.user, created.municipality) == (admin, people.municipality)
    assert "residente verificato" in text(client.get(people.action_a.get_absolute_url()))

    # a stale page asking to mark again changes nothing
    client.post(change_url(people, carla), {"mark": "1", "reason": "Di nuovo"})
    assert AuditEntry.objects.filter(model="spid.verifiedresident").count() == 1

    assert client.post(change_url(people, carla), {"mark": "0", "reason": "Trasferita"}).status_code == 302
    assert not VerifiedResident.objects.exists()
    removed = AuditEntry.objects.get(model="spid.verifiedresident", verb="delete")
    assert removed.before == {"source": "staff"}
    assert removed.after == {"participant": carla.pk, "reason": "Trasferita"}
    log = text(client.get(reverse("backoffice:audit_log")))
    assert "Trasferita" in log and "Verificato all'anagrafe" in log and "Motivo" in log


@pytest.mark.parametrize(
    "reason",
    ["", "\x00", "Anagrafe\x00", "x" * 201, "y" * 100_000],
    ids=["empty", "nul", "nul2", "201", "huge"],
)
def test_a_bad_reason_writes_nothing(client, people, reason):
    client.force_login(people.users["admin"])
    carla = people.users["citizen"]
    response = client.post(change_url(people, carla), {"mark": "1", "reason": reason})
    assert response.status_code == 400
    if "\x00" not in reason:  # a NUL byte is refused before the view (security.odd_input)
        assert 'role="alert"' in response.content.decode()
    assert not VerifiedResident.objects.exists()
    assert not AuditEntry.objects.filter(model="spid.verifiedresident").exists()


def test_a_reason_with_markup_is_kept_as_text_and_shown_escaped(client, people):
    admin, carla = people.users["admin"], people.users["citizen"]
    client.force_login(admin)
    reason = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    assert client.post(change_url(people, carla), {"mark": "1", "reason": reason}).status_code == 302
    assert AuditEntry.objects.get(model="spid.verifiedresident").after["reason"] == reason
    log = client.get(reverse("backoffice:audit_log")).content.decode()
    assert "<script>alert(" not in log and "<img src=x" not in log
    assert "&lt;script&gt;" in log


def test_the_services_refuse_a_bad_reason_and_other_comunes(people):
    from django.core.exceptions import PermissionDenied, ValidationError

    carla, admin = people.users["citizen"], people.users["admin"]
    with pytest.raises(PermissionDenied):
        services.set_residents_only_proposals(people.municipality, True, by=people.users["other_admin"])
    with pytest.raises(PermissionDenied):
        services.unmark_resident(carla, people.municipality, by=people.users["other_admin"], reason="x")
    with pytest.raises(ValidationError):
        services.mark_resident(carla, people.municipality, by=admin, reason="\x00")
    assert not ResidentRule.objects.exists() and not VerifiedResident.objects.exists()
    assert not services.unmark_resident(carla, people.municipality, by=admin, reason="Non c'era")


def test_the_list_is_paginated_and_keeps_the_search(client, people):
    from openmandato.participation.models import Support

    many = [make_user(f"sostenitore{n:02}", staff=False) for n in range(35)]
    for n, user in enumerate(many):
        user.first_name = f"Sostenitore {n:02}"
        user.save()
    key = people.action_a.municipality_id  # bulk_create skips save(), which fills it
    Support.objects.bulk_create(
        Support(municipality_id=key, action=people.action_a, user=user) for user in many
    )
    client.force_login(people.users["admin"])
    first = text(client.get(page_url(people), {"nome": "sostenitore"}))
    assert first.count("<tr><td>Sostenitore") == 30
    assert "Sostenitore 00" in first and "Sostenitore 34" not in first
    assert "nome=sostenitore" in first and "page=2" in first
    second = text(client.get(page_url(people), {"nome": "sostenitore", "page": "2"}))
    assert second.count("<tr><td>Sostenitore") == 5 and "Sostenitore 34" in second
    assert "Pippo" not in second
