"""A citizen signs in with SPID in real Chromium, through the local federation's provider: the AgID button,
the provider's login and consent pages, back in the personal area. A citizen signed in with e-mail meets
an action that asks for SPID level 2, follows "Entra con SPID/CIE" and comes back able to comment, beside
a verified resident's comment with its badge. axe-core on our pages, desktop and phone; screenshots in
$OPENMANDATO_SHOTS (default: the test's tmp dir)."""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from openmandato.tests.browser import axe_violations

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


def shot(page, name: str, tmp_path) -> Path:
    folder = Path(os.environ.get("OPENMANDATO_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_citizen_signs_in_with_spid_in_the_browser(browser, spid_on, rp_server, viewport, tmp_path):
    context = browser.new_context(viewport=viewport, locale="it-IT")
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(rp_server.url + "/area-personale/login/")
    assert axe_violations(page) == []
    page.get_by_text("Entra con SPID").click()
    assert page.get_by_role("link", name="Provider spento").is_visible()
    assert axe_violations(page) == []
    shot(page, f"spid-buttons-{viewport['width']}", tmp_path)

    page.get_by_role("link", name="Local test SPID").click()
    page.wait_for_url("**/oidc/op/authorization**")
    page.fill("input[name=username]", "mario")
    page.fill("input[name=password]", "mario-password")
    page.click("button[type=submit]#submit")
    page.wait_for_url("**/oidc/op/consent**")
    page.click("button[type=submit]#agree")
    page.wait_for_url(rp_server.url + "/area-personale/")
    shot(page, f"spid-signed-in-{viewport['width']}", tmp_path)
    assert get_user_model().objects.get().fiscal_code.code == "RSSMRA80A01H501U"
    context.close()


def action_with_a_residents_comment():
    from allauth.account.models import EmailAddress

    from openmandato.citizens.models import Profile
    from openmandato.core.models import Membership, Role
    from openmandato.participation.services import post_comment
    from openmandato.programs.models import Action
    from openmandato.spid.services import mark_resident
    from openmandato.tests.fixtures import make_mandate, make_municipality, make_section, make_user

    comune = make_municipality("Valenza")
    section = make_section(make_mandate(comune), "Ambiente")
    action = Action.objects.create(section=section, title="Piantare alberi", code="1", position=0)
    admin = make_user("sindaca")
    Membership.objects.create(user=admin, municipality=comune, role=Role.ADMINISTRATOR)
    resident = make_user("anna", staff=False)
    Profile.objects.update_or_create(user=resident, defaults={"display_name": "Anna"})
    mark_resident(resident, comune, by=admin)
    post_comment(action, user=resident, body="Servono alberi in via Roma")
    # Mario already has an e-mail account with the verified address his SPID identity carries
    mario = get_user_model().objects.create_user("mario", "mario.rossi@example.org", "a-long-password-1")
    EmailAddress.objects.create(user=mario, email="mario.rossi@example.org", verified=True, primary=True)
    return action, mario


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_weak_session_is_asked_for_spid_and_sees_the_resident_badge(
    browser, spid_on, rp_server, settings, viewport, tmp_path
):
    settings.LEVEL_OF_ASSURANCE = {**settings.LEVEL_OF_ASSURANCE, "comment": "L2"}
    action, mario = action_with_a_residents_comment()
    password_session = Client()
    password_session.force_login(mario)
    context = browser.new_context(viewport=viewport, locale="it-IT")
    context.add_cookies(
        [{"name": "sessionid", "value": password_session.cookies["sessionid"].value, "url": rp_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(rp_server.url + action.get_absolute_url() + "#commenti")

    comment = page.locator("article.comment", has_text="Servono alberi in via Roma")
    assert comment.locator(".badge", has_text="residente verificato").is_visible()
    assert "RSSMRA" not in page.content()
    notice = page.locator(".stronger-sign-in").last
    assert "Per commentare serve l'accesso con SPID o CIE di livello 2." in notice.inner_text()
    assert page.locator("textarea[name=body]").count() == 0
    assert axe_violations(page) == []
    shot(page, f"spid-level-message-{viewport['width']}", tmp_path)

    notice.get_by_role("link", name="Entra con SPID/CIE").click()
    page.get_by_text("Entra con SPID", exact=True).click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Local test SPID").click()
    page.wait_for_url("**/oidc/op/authorization**")
    page.fill("input[name=username]", "mario")
    page.fill("input[name=password]", "mario-password")
    page.click("button[type=submit]#submit")
    page.wait_for_url("**/oidc/op/consent**")
    page.click("button[type=submit]#agree")
    page.wait_for_url(rp_server.url + action.get_absolute_url())
    assert page.locator("textarea[name=body]").count() >= 1  # level 2 now: the comment form is there
    assert page.locator(".stronger-sign-in").count() == 0
    assert page.locator(".badge", has_text="residente verificato").count() == 1
    assert axe_violations(page) == []
    shot(page, f"spid-level-reached-{viewport['width']}", tmp_path)
    assert get_user_model().objects.get(username="mario").fiscal_code.code == "RSSMRA80A01H501U"
    context.close()
