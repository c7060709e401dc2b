"""Each participation action asks for the level of assurance LEVEL_OF_ASSURANCE sets (LOA_COMMENT,
LOA_SUPPORT, LOA_PROPOSAL, LOA_CONTEST): a weaker session sees one line and the "Entra con SPID/CIE" link
instead of the form, and its POSTs are refused (403) without writing anything; a comune may take
proposals from verified residents only. With the defaults (SPID off, every level "email") e-mail
accounts take part as before. Contributions of verified residents carry "residente verificato" and
nothing else: the fiscal code is in no page and no export."""

import html
import re

import pytest
from django.contrib.auth import login
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from openmandato.citizens.models import Identity
from openmandato.participation.models import Comment, Contest, Proposal, ProposalSupport, Support
from openmandato.participation.services import submit_proposal
from openmandato.spid import conf, services
from openmandato.spid.models import FiscalCode

pytestmark = pytest.mark.django_db
CODE = "RSSMRA80A01H501U"
BADGE = "residente verificato"


@pytest.fixture
def spid_enabled(settings):
    settings.LOGIN_METHODS = ["email", "spid", "cie"]
    settings.SPID_PROVIDERS = [("https://op.example.it/", "Provider")]
    settings.CIE_PROVIDERS = [("https://cie.example.it/", "CIE")]
    settings.PARTICIPATION_RATE_USER = settings.PARTICIPATION_RATE_IP = ""
    return settings


def require(settings, level, *actions):
    settings.LEVEL_OF_ASSURANCE = {**settings.LEVEL_OF_ASSURANCE, **dict.fromkeys(actions, level)}


def signed_in(client, user, level=None):
    client.force_login(user)
    if level:
        session = client.session
        session[conf.SESSION_LEVEL] = level
        session.save()
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def urls(world, update):
    slug, action = world.municipality.slug, world.action_a.pk
    return {
        "comment": reverse("participation:comment_post", args=[slug, action]),
        "support": reverse("participation:support", args=[slug, action]),
        "proposal": reverse("participation:proposal_new", args=[slug]),
        "contest": reverse("participation:contest", args=[slug, update.pk]),
    }


def post_everything(client, world, update, proposal):
    links = urls(world, update)
    return [
        client.post(links["comment"], {"body": "Un commento"}),
        client.post(links["support"]),
        client.post(links["proposal"], {"kind": "new_action", "title": "Una proposta", "body": "Perché sì"}),
        client.post(links["contest"], {"claim": "status", "reason": "Non è vero"}),
        client.post(reverse("participation:proposal_support", args=[world.municipality.slug, proposal.pk])),
    ]


def nothing_written(proposal):
    return (
        not Comment.objects.exists()
        and not Support.objects.exists()
        and list(Proposal.objects.all()) == [proposal]
        and not Contest.objects.exists()
        and not ProposalSupport.objects.exists()
    )


@pytest.fixture
def proposal(citizens):
    return submit_proposal(
        citizens.municipality, user=citizens.users["citizen2"], kind="new_action", title="Altra", body="x"
    )


def test_by_default_an_email_account_takes_part_as_before(client, citizens, update, proposal, settings):
    settings.PARTICIPATION_RATE_USER = settings.PARTICIPATION_RATE_IP = ""
    signed_in(client, citizens.users["citizen"])
    page = text(client.get(citizens.action_a.get_absolute_url()))
    assert 'name="body"' in page and "Entra con SPID/CIE" not in page
    assert client.get(urls(citizens, update)["proposal"]).status_code == 200
    assert client.get(urls(citizens, update)["contest"]).status_code == 200
    responses = post_everything(client, citizens, update, proposal)
    assert [r.status_code for r in responses] == [302] * 5
    assert Comment.objects.count() == Support.objects.count() == Contest.objects.count() == 1
    assert Proposal.objects.count() == 2 and ProposalSupport.objects.count() == 1


def test_a_password_session_sees_the_message_and_the_spid_link_instead_of_the_forms(
    client, citizens, update, proposal, spid_enabled
):
    require(spid_enabled, "L2", "comment", "support", "proposal", "contest")
    signed_in(client, citizens.users["citizen"])
    action_url = citizens.action_a.get_absolute_url()
    page = text(client.get(action_url))
    assert "Per commentare serve l'accesso con SPID o CIE di livello 2." in page
    assert "Per sostenere serve l'accesso con SPID o CIE di livello 2." in page
    assert 'name="body"' not in page and "Mi sta a cuore</button>" not in page
    links = re.findall(r'href="([^"]*)"[^>]*>Entra con SPID/CIE<', page)
    assert links and links[0] == reverse("spid:sign_in") + "?next=" + action_url
    sign_in_page = text(client.get(links[0]))
    assert "Entra con SPID" in sign_in_page and "&next=" + action_url in sign_in_page

    for url, line in [
        (
            urls(citizens, update)["proposal"],
            "Per fare una proposta serve l'accesso con SPID o CIE di livello 2.",
        ),
        (urls(citizens, update)["contest"], "Per segnalare un'inesattezza serve l'accesso con SPID o CIE"),
    ]:
        response = client.get(url)
        assert response.status_code == 403 and line in text(response)
        assert "Entra con SPID/CIE" in text(response) and "<textarea" not in text(response)
    detail = text(
        client.get(reverse("participation:proposal", args=[citizens.municipality.slug, proposal.pk]))
    )
    assert "Per sostenere serve" in detail and "Sostieni la proposta" not in detail


def test_posts_of_a_too_weak_session_are_refused_and_change_nothing(
    client, citizens, update, proposal, spid_enabled
):
    require(spid_enabled, "L2", "comment", "support", "proposal", "contest")
    signed_in(client, citizens.users["citizen"], level="L1")  # SPID level 1 is not enough either
    responses = post_everything(client, citizens, update, proposal)
    assert [r.status_code for r in responses] == [403] * 5
    for response in responses:
        alert = re.search(r'<div class="alert[^"]*"[^>]*>\s*<p[^>]*>([^<]*)</p>', response.content.decode())
        assert alert and "serve l'accesso con SPID o CIE di livello 2." in html.unescape(alert.group(1))
    assert nothing_written(proposal)


def test_a_support_given_before_the_level_was_raised_can_still_be_withdrawn(
    client, citizens, update, spid_enabled
):
    from openmandato.participation.services import support_action

    support_action(citizens.action_a, user=citizens.users["citizen"])
    require(spid_enabled, "L2", "support")
    signed_in(client, citizens.users["citizen"])
    page = text(client.get(citizens.action_a.get_absolute_url()))
    assert "Non mi sta più a cuore" in page and "Per sostenere serve" not in page
    url = urls(citizens, update)["support"]
    assert client.post(url, {"withdraw": "1"}).status_code == 302
    assert not Support.objects.exists()
    assert client.post(url).status_code == 403 and not Support.objects.exists()


def test_a_spid_session_at_the_level_asked_takes_part(client, citizens, update, proposal, spid_enabled):
    require(spid_enabled, "L2", "comment", "support", "proposal", "contest")
    signed_in(client, citizens.users["citizen"], level="L2")
    assert 'name="body"' in text(client.get(citizens.action_a.get_absolute_url()))
    assert [r.status_code for r in post_everything(client, citizens, update, proposal)] == [302] * 5
    assert Comment.objects.count() == Support.objects.count() == Contest.objects.count() == 1


def test_each_action_has_its_own_level(client, citizens, update, proposal, spid_enabled):
    require(spid_enabled, "L2", "proposal")  # comments, supports and contests still take e-mail
    signed_in(client, citizens.users["citizen"])
    codes = [r.status_code for r in post_everything(client, citizens, update, proposal)]
    assert codes == [302, 302, 403, 302, 302]
    assert list(Proposal.objects.all()) == [proposal]


def test_proposals_can_be_for_verified_residents_only(client, citizens, update, proposal, spid_enabled):
    spid_enabled.RESIDENTS_ONLY_PROPOSALS = True
    citizen = citizens.users["citizen"]
    signed_in(client, citizen)
    new = urls(citizens, update)["proposal"]
    refused = client.post(new, {"kind": "new_action", "title": "Mia", "body": "x"})
    assert refused.status_code == 403
    assert "riservate ai residenti verificati" in text(refused)
    assert "Entra con SPID/CIE" not in text(refused)  # signing in again would not help
    assert list(Proposal.objects.all()) == [proposal]
    # a resident of the other comune is not a resident of this one
    services.mark_resident(citizen, citizens.other_municipality, by=citizens.users["other_admin"])
    assert client.post(new, {"kind": "new_action", "title": "Mia", "body": "x"}).status_code == 403
    services.mark_resident(citizen, citizens.municipality, by=citizens.users["admin"])
    assert client.post(new, {"kind": "new_action", "title": "Mia", "body": "x"}).status_code == 302
    assert Proposal.objects.filter(author=citizen).count() == 1


def test_a_password_sign_in_never_inherits_a_spid_level(rf, citizens):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request.session[conf.SESSION_LEVEL] = "L2"
    login(request, citizens.users["citizen"], backend="django.contrib.auth.backends.ModelBackend")
    assert conf.session_level(request) == "email"


def test_the_page_cache_tells_a_spid_session_from_a_password_one(client, citizens, spid_enabled):
    require(spid_enabled, "L2", "comment")
    signed_in(client, citizens.users["citizen"])
    url = citizens.action_a.get_absolute_url()
    first = client.get(url)
    assert 'name="body"' not in text(first)
    session = client.session
    session[conf.SESSION_LEVEL] = "L2"
    session.save()
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and 'name="body"' in text(again)


@pytest.fixture
def resident(citizens, update):
    """citizen: a verified resident with a fiscal code and SPID attributes; citizen2: neither."""
    citizen = citizens.users["citizen"]
    FiscalCode.objects.create(user=citizen, code=CODE, verified_at="2026-01-01T00:00Z")
    Identity.objects.create(
        user=citizen,
        provider="spid",
        subject="pairwise-x",
        claims={"given_name": "Mario", "family_name": "Zzyzx"},
        verified_at="2026-01-01T00:00Z",
    )
    services.mark_resident(citizen, citizens.municipality, by=citizens.users["admin"])
    return citizen


def test_contributions_of_verified_residents_carry_the_badge_and_nothing_else(
    client, citizens, update, resident
):
    from openmandato.participation.services import contest_update, post_comment

    other = citizens.users["citizen2"]
    post_comment(citizens.action_a, user=resident, body="Dal residente")
    post_comment(citizens.action_a, user=other, body="Da chi non è residente")
    contest_update(update, user=resident, claim="status", reason="Non è così")
    contest_update(update, user=other, claim="status", reason="Nemmeno per me")
    mine = submit_proposal(citizens.municipality, user=resident, kind="new_action", title="Mia", body="x")
    theirs = submit_proposal(citizens.municipality, user=other, kind="new_action", title="Sua", body="y")
    slug = citizens.municipality.slug

    page = text(client.get(citizens.action_a.get_absolute_url()))
    assert page.count(BADGE) == 2  # the resident's comment and contest, not the others'
    comment = page[page.index("Dal residente") - 600 : page.index("Dal residente")]
    assert BADGE in comment and "Carla" in comment
    assert BADGE not in page[page.index("Gianni") : page.index("Da chi non è residente")]
    listing = text(client.get(reverse("participation:proposals", args=[slug])))
    assert listing.count(BADGE) == 1
    assert BADGE in text(client.get(reverse("participation:proposal", args=[slug, mine.pk])))
    assert BADGE not in text(client.get(reverse("participation:proposal", args=[slug, theirs.pk])))
    # a resident of this comune is no resident of another: the flag is per comune
    assert services.resident_ids(citizens.other_municipality, [resident.pk]) == set()


def test_the_fiscal_code_and_the_spid_attributes_are_in_no_page_and_no_export(citizens, update, resident):
    from django.test import Client

    from openmandato.participation.services import contest_update, post_comment

    post_comment(citizens.action_a, user=resident, body="Dal residente")
    contest_update(update, user=resident, claim="status", reason="Non è così")
    proposal = submit_proposal(citizens.municipality, user=resident, kind="new_action", title="Mia", body="x")
    slug, action = citizens.municipality.slug, citizens.action_a.pk
    public = [
        citizens.action_a.get_absolute_url(),
        f"/{slug}/",
        reverse("participation:proposals", args=[slug]),
        reverse("participation:proposal", args=[slug, proposal.pk]),
        f"/api/v1/actions/{action}/comments",
        f"/api/v1/proposals?municipality={slug}",
        f"/api/v1/proposals/{proposal.pk}",
        "/api/v1/contests",
        f"/{slug}/export.csv",
        f"/{slug}/export.json",
        f"/{slug}/export-comments.csv",
        f"/{slug}/export-proposals.csv",
        f"/{slug}/export-contests.csv",
    ]
    staff = Client()
    staff.force_login(citizens.users["admin"])
    seen = 0
    for client, url in [(Client(), url) for url in public] + [
        (staff, "/backoffice/staff/"),
        (staff, "/backoffice/partecipazione/moderazione/?show=recent"),
        (staff, "/backoffice/partecipazione/segnalazioni/"),
        (staff, "/backoffice/partecipazione/proposte/"),
    ]:
        response = client.get(url)
        if response.status_code == 404 and "export-" in url:
            continue  # not every table has its own export
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        assert CODE.encode() not in body and CODE[:11].encode() not in body, url
        assert b"Zzyzx" not in body, url
        seen += 1
    assert seen >= 14
