"""The citizen's journey in real Chromium, at 1280 and 375 px: sign up, confirm the e-mail from the link
in the message the real SMTP server received (sent by a real worker), follow an action; a staff member
posts an update in the back-office; the worker e-mails both followers; each opens the link. axe-core
finds no WCAG 2.1 AA violation on the pages walked. Screenshots: $OPENMANDATO_SHOTS or the tmp dir."""

import os
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress

from openmandato.citizens.models import Follow
from openmandato.notifications.models import EmailState, Notification
from openmandato.tests.browser import axe_violations
from openmandato.tests.fixtures import build_world

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
PASSWORD = "una-password-lunga-42"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def shot(page, name: str, tmp_path) -> Path:
    folder = Path(os.environ.get("OPENMANDATO_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


WIDEST = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1).slice(0, 5)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def open_page(browser, base, viewport):
    context = browser.new_context(viewport=viewport, locale="it-IT")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = base
    return page


def link_to(mailbox, address: str, pattern: str) -> str:
    for message in reversed(mailbox.messages):
        if message["To"] == address:
            body = message.get_body(preferencelist=("plain",)).get_content()
            return re.search(pattern, body).group(0)
    raise AssertionError(f"no message to {address}")


def sign_up_and_follow(page, worker, mailbox, email, action_path, name, tmp_path):
    page.goto(page.base + action_path)
    page.get_by_role("link", name="Accedi per seguire gli aggiornamenti").click()
    page.wait_for_url("**/area-personale/login/**")
    page.goto(page.base + "/area-personale/signup/?next=" + action_path)
    assert axe_violations(page) == []
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.fill("input[name=display_name]", name.title())
    # As a person does: tap the box drawn at the start of the label (the label's middle is a link).
    page.locator("label[for=id_accept_privacy]").click(position={"x": 6, "y": 8})
    assert page.locator("input[name=accept_privacy]").is_checked()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/area-personale/confirm-email/")
    assert axe_violations(page) == []

    worker.drain()
    confirm = link_to(mailbox, email, r"https?://\S+/area-personale/confirm-email/\S+/")
    page.goto(confirm)
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.wait_for_url("**" + action_path)  # back where the citizen started
    assert EmailAddress.objects.get(email=email).verified

    page.get_by_role("button", name="Segui questa azione").click()
    page.wait_for_url("**" + action_path)
    assert page.get_by_text("ti avviseremo delle novità").is_visible()
    assert page.locator("[data-follow=on]").is_visible()
    assert axe_violations(page) == []
    assert fits_the_screen(page)
    shot(page, f"citizen-{name}-follows", tmp_path)


def test_a_citizen_signs_up_follows_and_is_told_by_email(
    browser, live_server, smtp_server, task_worker, tmp_path
):
    world = build_world()
    world.users["manager_a"].email = "manager_a@comune.example"
    world.users["manager_a"].save()
    worker = task_worker(SITE_URL=live_server.url)
    action_path = f"/{world.municipality.slug}/actions/{world.action_a.pk}/"

    desktop = open_page(browser, live_server.url, DESKTOP)
    phone = open_page(browser, live_server.url, PHONE)
    sign_up_and_follow(desktop, worker, smtp_server, "rita@example.org", action_path, "desktop", tmp_path)
    sign_up_and_follow(phone, worker, smtp_server, "sara@example.org", action_path, "phone", tmp_path)
    assert Follow.objects.filter(action=world.action_a).count() == 2

    staff = open_page(browser, live_server.url, DESKTOP)
    staff.goto(staff.base + "/accounts/login/")
    staff.get_by_label("Nome utente").fill("manager_a")
    staff.get_by_label("Password").fill("pw-manager_a")
    staff.locator("form.login-form button[type=submit]").click()
    staff.wait_for_url("**/backoffice/")
    staff.goto(staff.base + f"/backoffice/actions/{world.action_a.pk}/update/")
    staff.select_option("select[name=status]", "in_progress")
    staff.fill("input[name=progress]", "40")
    staff.fill("textarea[name=note]", "Piantati i primi quaranta alberi in via Roma.")
    with staff.expect_navigation():  # the update is saved (and its notification queued) before draining
        staff.get_by_role("button", name="Registra l'aggiornamento").click()
    assert staff.get_by_role("status").filter(has_text="Aggiornamento registrato.").count() == 1

    worker.drain()
    assert Notification.objects.filter(email_state=EmailState.SENT).count() == 2
    for page, email, name in ((desktop, "rita@example.org", "desktop"), (phone, "sara@example.org", "phone")):
        link = link_to(smtp_server, email, r"https?://\S+/actions/\d+/#update-\d+")
        assert link.startswith(live_server.url)
        page = page.context.new_page()  # the mail client opens a new tab
        page.base = live_server.url
        page.goto(link)
        assert page.get_by_text("Piantati i primi quaranta alberi in via Roma.").is_visible()
        assert axe_violations(page) == []
        assert fits_the_screen(page)
        shot(page, f"citizen-{name}-opens-the-email-link", tmp_path)
        page.goto(page.base + "/area-personale/notifiche/")
        assert page.get_by_text("1 notifica da leggere").is_visible()
        assert axe_violations(page) == []
        assert fits_the_screen(page)
        shot(page, f"citizen-{name}-inbox", tmp_path)
        page.goto(page.base + "/area-personale/")
        shot(page, f"citizen-{name}-profile", tmp_path)
        assert axe_violations(page) == []
        assert fits_the_screen(page), page.evaluate(WIDEST)
    for page in (desktop, phone, staff):
        page.context.close()
