"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against a live server:
navigation, htmx filters, search, language switch, keyboard use and axe-core on every page type."""

import os
from pathlib import Path

import pytest

from openmandato.programs.models import Action, Area, Section
from openmandato.tests.browser import go, run_axe

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_visitor_browses_from_home_to_an_action(page):
    go(page, "/")
    page.get_by_role("link", name="Valenza", exact=True).click()
    page.wait_for_url("**/valenza/")
    page.get_by_role("link", name="Bellezza", exact=True).first.click()
    page.wait_for_url("**/sections/*/")
    page.get_by_role("link", name="Conclusione iter per la nuova illuminazione pubblica al led").click()
    page.wait_for_url("**/actions/*/")
    assert "illuminazione pubblica" in page.locator("h1").inner_text()
    assert page.locator(".timeline-entry").count() >= 1


def test_filters_update_the_list_without_a_reload_and_keep_state_in_the_url(page):
    go(page, "/valenza/actions/")
    page.evaluate("window.notReloaded = true")
    page.locator("label[for=f-status-done]").click()  # Bootstrap Italia styles the label, not the input
    page.wait_for_url("**status=done**")
    done = Action.objects.filter(mandate__municipality__slug="valenza", status="done", children=None).count()
    page.wait_for_function(f"() => document.querySelector('#results p').textContent.includes('{done} azion')")
    assert page.evaluate("window.notReloaded") is True
    page.reload()
    assert page.get_by_label("Realizzata", exact=True).is_checked()


def test_search_from_the_header(page):
    go(page, "/valenza/")
    page.get_by_label("Cerca nei programmi").fill("rifiuto")
    page.get_by_label("Cerca nei programmi").press("Enter")
    page.wait_for_url("**/search/?q=rifiuto")
    # one result: its title links to the action (the snippet below it repeats the matching text)
    assert page.get_by_role("link", name="Introduzione di una tariffa puntuale dei rifiuti").count() == 1


def test_the_language_switch(page):
    go(page, "/valenza/")
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Overall progress").count() == 1
    page.get_by_role("link", name="Italiano").click()
    assert page.locator("html").get_attribute("lang") == "it"


def test_keyboard_users_can_skip_to_the_content_and_reach_the_filters(page):
    go(page, "/valenza/actions/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Vai al contenuto"
    page.keyboard.press("Enter")
    page.wait_for_url("**#main")  # the fragment navigation lands asynchronously: wait, do not sample
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "f-q":
            break
    assert page.evaluate("document.activeElement.id") == "f-q"


def page_types():
    action = Action.objects.filter(mandate__municipality__slug="valenza", indicators__isnull=False).first()
    section = Section.objects.filter(mandate__municipality__slug="cremona", parent__isnull=False).first()
    area = Area.objects.filter(municipality__slug="cremona").first()
    return [
        "/",
        "/valenza/",
        f"/cremona/sections/{section.pk}/",
        f"/valenza/actions/{action.pk}/",
        f"/cremona/areas/{area.pk}/",
        "/valenza/actions/?status=in_progress",
        "/search/?q=sviluppo",
        "/compare/?q=telemedicina",
        "/valenza/come-calcoliamo/",
        "/accounts/login/",
        "/pagina-che-non-esiste/",
    ]


def test_the_axe_harness_catches_a_violation(page):
    page.set_content(
        '<html><body><img src="x.png"><a href="#"></a><p style="color:#ccc">testo</p></body></html>'
    )
    ids = {violation["id"] for violation in run_axe(page)["violations"]}
    assert {"image-alt", "link-name", "color-contrast", "html-has-lang"} <= ids


def test_every_page_type_passes_axe(page):
    problems = {}
    for path in page_types():
        page.goto(page.base + path)
        result = run_axe(page)
        assert len(result["passes"]) > 10, path
        if result["violations"]:
            problems[path] = [
                (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
            ]
    assert problems == {}


def test_back_office_pages_pass_axe_too(page, settings):
    password = (Path(settings.VAR_DIR) / "demo_password").read_text().strip()
    go(page, "/accounts/login/")
    page.get_by_label("Nome utente").fill("demo")
    page.get_by_label("Password").fill(password)
    page.locator("form.login-form button[type=submit]").click()
    page.wait_for_url("**/backoffice/")
    action = Action.objects.filter(mandate__municipality__slug="valenza", indicators__isnull=False).first()
    problems = {}
    for path in [
        "/backoffice/",
        f"/backoffice/actions/{action.pk}/update/",
        "/backoffice/audit/",
        "/backoffice/import/",
        "/backoffice/staff/",
        "/backoffice/areas/",
        "/backoffice/partecipazione/residenti/",
    ]:
        for width in (1280, 375):  # on a phone, wide tables scroll: their region must take the focus
            page.set_viewport_size({"width": width, "height": 900})
            go(page, path)
            result = run_axe(page)
            if result["violations"]:
                problems[(path, width)] = [
                    (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
                ]
    page.set_viewport_size({"width": 1280, "height": 900})
    assert problems == {}
    # The date picker starts on today (it needs an ISO date whatever the page's language).
    go(page, f"/backoffice/actions/{action.pk}/update/")
    from django.utils import timezone

    assert page.input_value("#id_date") == timezone.localdate().isoformat()


def test_screenshot_of_the_valenza_overview(page, tmp_path):
    go(page, "/valenza/")
    target = Path(os.environ.get("OPENMANDATO_SCREENSHOT") or tmp_path / "valenza.png")
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 20_000


def test_pages_fit_a_phone_screen(page):
    page.set_viewport_size({"width": 375, "height": 740})
    for path in ["/", "/valenza/", "/valenza/actions/"]:
        go(page, path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
