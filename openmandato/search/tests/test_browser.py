"""A citizen searches with a typo and compares, in real Chromium, on a desktop and on a 375 px phone."""

import os
from pathlib import Path

import pytest

from openmandato.programs.models import Action
from openmandato.tests.browser import axe_violations, go

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(params=[(1280, 900), (375, 800)], ids=["desktop", "phone"])
def page(request, browser, live_server, comuni):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, locale="it-IT")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    page.width = width
    yield page
    context.close()


def shot(page, tmp_path, name):
    folder = Path(os.environ.get("OPENMANDATO_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}-{page.width}.png"), full_page=True)


def test_a_search_with_a_typo_suggests_the_word_and_finds_the_promises(page, tmp_path):
    go(page, "/search/")
    page.get_by_label("Parole da cercare").fill("telemedicna")
    page.get_by_label("Parole da cercare").press("Enter")
    page.wait_for_url("**q=telemedicna**")
    assert page.get_by_text("Forse cercavi:").is_visible()
    results = page.locator(".search-results > li")
    assert results.count() == 2
    assert page.locator(".search-results mark").first.inner_text().lower() == "telemedicina"
    assert page.locator(".search-results").get_by_text("Riva Bassa").is_visible()
    # nothing wider than the screen on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width
    shot(page, tmp_path, "search-typo")
    assert axe_violations(page) == []
    page.get_by_role("link", name="telemedicina", exact=True).click()
    page.wait_for_url("**q=telemedicina**")
    assert page.get_by_text("Forse cercavi:").count() == 0


def test_compare_shows_the_similar_promise_side_by_side(page, tmp_path):
    origin = Action.objects.get(title__startswith="Potenziamento dei servizi di telemedicina")
    go(page, f"/compare/?action={origin.pk}")
    table = page.locator(".compare-table")
    assert table.get_by_text("Telemedicina per gli anziani delle frazioni").is_visible()
    assert table.get_by_text("origine").is_visible()
    shot(page, tmp_path, "compare")
    assert axe_violations(page) == []
    page.get_by_label("Regione").select_option("Lombardia")
    page.get_by_role("button", name="Confronta").click()
    page.wait_for_url("**region=Lombardia**")
    assert page.get_by_text("Nessun impegno simile in altri comuni.").is_visible()
