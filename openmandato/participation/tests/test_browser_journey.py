"""The participation journey in real Chromium, on a desktop and on a 375 px phone: a citizen comments
on an action, a moderator hides another comment with a reason, the citizen contests the update and the
responsible staff member answers it. axe-core finds no WCAG 2.1 AA violation on any page on the way."""

from pathlib import Path

import pytest

from openmandato.accountability.services import EvidenceInput, record_progress
from openmandato.core.models import Membership, Role
from openmandato.participation import services
from openmandato.participation.models import Comment, Contest
from openmandato.spid.models import VerifiedResident
from openmandato.tests.browser import axe_violations, go
from openmandato.tests.fixtures import PAST, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
SHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture
def journey_world(world):
    moderator = make_user("moderatrice")
    Membership.objects.create(user=moderator, municipality=world.municipality, role=Role.MODERATOR)
    other = make_user("gianni", staff=False)
    other.first_name = "Gianni"
    other.save()
    update = record_progress(
        world.action_a,
        user=world.users["admin"],
        status="partially_done",
        progress=60,
        date=PAST,
        note="Piantati 60 alberi",
        evidence=[EvidenceInput(kind="act", act_kind="determina", act_number="12", act_date=PAST)],
    )
    services.post_comment(world.action_a, user=other, body="Commento **offensivo** da nascondere")
    services.support_action(world.action_a, user=other)
    return world, update


def sign_in(browser, base, username, width):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="it-IT", device_scale_factor=1
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = base
    go(page, "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    with page.expect_navigation():
        page.get_by_role("button", name="Entra").click()
    return page


def check(page, name, width):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    assert axe_violations(page) == [], name
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"


@pytest.mark.parametrize("width", [1280, 375])
def test_comment_moderate_contest_answer(browser, live_server, journey_world, width):
    world, update = journey_world
    action_url = world.action_a.get_absolute_url()

    citizen = sign_in(browser, live_server.url, "citizen", width)
    go(citizen, action_url)
    citizen.get_by_label("Il tuo commento").fill("Servono *più* alberi in via Roma")
    citizen.get_by_role("button", name="Pubblica il commento").click()
    citizen.wait_for_url(f"**#comment-{Comment.objects.latest('pk').pk}")
    assert citizen.locator(".comment-body em", has_text="più").count() == 1
    check(citizen, "action-commented", width)

    moderator = sign_in(browser, live_server.url, "moderatrice", width)
    go(moderator, action_url)
    moderator.get_by_role("link", name="Nascondi il commento di Gianni").click()
    moderator.get_by_label("Motivo").fill("Linguaggio offensivo")
    check(moderator, "hide-form", width)
    moderator.get_by_role("button", name="Nascondi").click()
    moderator.wait_for_url(f"**{action_url}")
    assert moderator.get_by_text("Commento nascosto dalla moderazione.").count() == 1
    assert moderator.get_by_text("offensivo da nascondere").count() == 0

    citizen.reload()
    citizen.get_by_role("link", name="Segnala un'inesattezza nell'aggiornamento del 10/05/2023").click()
    citizen.get_by_text("L'avanzamento dichiarato").click()  # Bootstrap Italia styles the label
    citizen.get_by_label("Perché").fill("Ho contato 20 alberi, non 60.")
    citizen.get_by_label("Link a una fonte (facoltativo)").fill("https://albo.example/atto/12")
    check(citizen, "contest-form", width)
    citizen.get_by_role("button", name="Invia la segnalazione").click()
    contest = Contest.objects.get()
    citizen.wait_for_url(f"**#contest-{contest.pk}")
    assert citizen.get_by_text("contestata (1)").count() == 1
    check(citizen, "action-contested", width)

    staff = sign_in(browser, live_server.url, "manager_a", width)
    go(staff, "/backoffice/partecipazione/segnalazioni/")
    check(staff, "contests-queue", width)
    staff.get_by_role("link", name="Rispondi").click()
    staff.get_by_label("Risposta pubblica").fill(
        "Verificato con l'ufficio: sono **60**, vedi la determina 12."
    )
    staff.get_by_role("button", name="Pubblica la risposta").click()
    staff.wait_for_url("**/segnalazioni/")
    contest.refresh_from_db()
    assert contest.answered_at is not None and contest.answer_ledger_entry is not None

    citizen.reload()
    answer = citizen.locator(f"#contest-{contest.pk} .contest-answer")
    assert "sono 60" in answer.inner_text() and "Risposta ufficiale del Comune" in answer.inner_text()
    check(citizen, "action-answered", width)
    for page in (citizen, moderator, staff):
        page.context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_proposal_pages_and_queues_pass_axe(browser, live_server, journey_world, width):
    world, update = journey_world
    slug = world.municipality.slug
    proposal = services.submit_proposal(
        world.municipality,
        user=world.users["citizen"],
        kind="improvement",
        title="Più alberi",
        body="In *centro*",
        action=world.action_a,
    )
    services.answer_proposal(
        proposal, user=world.users["editor"], status="accepted", answer="Sì", linked_action=world.action_a
    )
    services.report_comment(world.action_a.comments.get(), user=world.users["citizen"], reason="Offensivo")
    anonymous = browser.new_context(viewport={"width": width, "height": 900}, locale="it-IT").new_page()
    anonymous.base = live_server.url
    for name, path in [
        ("action-anonymous", world.action_a.get_absolute_url()),
        ("proposals", f"/{slug}/proposte/?status=accepted"),
        ("proposal", f"/{slug}/proposte/{proposal.pk}/"),
        ("dashboard", f"/{slug}/"),
    ]:
        go(anonymous, path)
        check(anonymous, name, width)
    citizen = sign_in(browser, live_server.url, "gianni", width)
    go(citizen, f"/{slug}/proposte/nuova/")
    assert citizen.get_by_role("heading", name="Fai una proposta").count() == 1
    check(citizen, "proposal-form", width)
    go(citizen, f"/{slug}/proposte/{proposal.pk}/")
    citizen.get_by_role("button", name="Sostieni la proposta").click()
    assert citizen.get_by_text("Hai sostenuto questa proposta.").count() == 1
    moderator = sign_in(browser, live_server.url, "moderatrice", width)
    go(moderator, "/backoffice/partecipazione/moderazione/")
    assert moderator.get_by_text("«Offensivo»").count() == 1
    check(moderator, "moderation-queue", width)
    editor = sign_in(browser, live_server.url, "editor", width)
    go(editor, "/backoffice/partecipazione/proposte/?show=all")
    check(editor, "proposals-queue", width)
    # the comune's administrator takes proposals from verified residents only and marks Gianni as one
    admin = sign_in(browser, live_server.url, "admin", width)
    go(admin, "/backoffice/")
    admin.get_by_role("link", name="Residenti verificati").click()
    admin.get_by_text("Accetta proposte solo dai residenti verificati di questo comune").click()  # the label
    admin.get_by_role("button", name="Salva la regola").click()
    assert admin.get_by_text("Da ora le proposte sono riservate ai residenti verificati.").count() == 1
    search = admin.get_by_role("search", name="Cerca per nome pubblico")
    search.get_by_role("searchbox", name="Nome pubblico").fill("gian")
    search.get_by_role("button", name="Cerca").click()
    check(admin, "residents", width)
    admin.get_by_role("link", name="Segna come residente — Gianni").click()
    admin.get_by_label("Motivo").fill("Verificato all'anagrafe")
    check(admin, "resident-mark", width)
    admin.get_by_role("button", name="Segna come residente").click()
    assert admin.get_by_text("Gianni è ora residente verificato.").count() == 1
    assert VerifiedResident.objects.filter(user__username="gianni", municipality=world.municipality).exists()
    go(citizen, f"/{slug}/proposte/nuova/")
    assert citizen.get_by_role("heading", name="Fai una proposta").count() == 1
    for page in (anonymous, citizen, moderator, editor, admin):
        page.context.close()
