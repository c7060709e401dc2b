"""A citizen's whole journey in real Chromium, on a desktop and on a 375 px phone, from a fresh database:
home → comune → section → action → filters → search → compare → English → downloads.

Screenshots of every step go to $OPENMANDATO_SHOTS (or the test's temporary directory)."""

import csv
import io
import os
from pathlib import Path

import pytest

from openmandato.programs.models import Action
from openmandato.tests.browser import go, run_axe

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
DEVICES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


class Journey:
    def __init__(self, page, device, shots: Path):
        self.page, self.device, self.shots, self.step, self.axe = page, device, shots, 0, {}

    @property
    def phone(self):
        return self.device == "phone"

    def snap(self, name):
        self.step += 1
        self.page.screenshot(
            path=str(self.shots / f"journey-{self.device}-{self.step:02d}-{name}.png"), full_page=True
        )

    def check_axe(self):
        violations = run_axe(self.page)["violations"]
        if violations:
            self.axe[self.page.url] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]

    def fits(self):
        assert self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
            self.page.url
        )


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_citizen_follows_a_program_from_home_to_the_downloads(page, device, tmp_path):
    shots = Path(os.environ.get("OPENMANDATO_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DEVICES[device])
    journey = Journey(page, device, shots)

    # Home: every comune with its progress.
    go(page, "/")
    journey.fits()
    journey.snap("home")
    page.get_by_role("link", name="Valenza", exact=True).click()

    # The comune's dashboard: its identity in the header, its sections in the program's order.
    page.wait_for_url("**/valenza/")
    assert page.locator(".it-brand-title").inner_text() == "Comune di Valenza"
    sections = page.locator("#sections-heading ~ ul a").all_inner_texts()
    assert sections[0] == "Ambiente & Salute" and sections[-1] == "Under 30"
    journey.fits()
    journey.check_axe()
    journey.snap("comune")
    page.get_by_role("link", name="Ambiente & Salute", exact=True).first.click()

    # A section, then its first action: a short heading, the full text below.
    page.wait_for_url("**/sections/*/")
    assert page.locator("h1").inner_text().strip() == "Ambiente & Salute"
    journey.snap("section")
    first = Action.objects.filter(mandate__municipality__slug="valenza").order_by("tree_order").first()
    page.locator(f'a[href="{first.get_absolute_url()}"]').first.click()
    page.wait_for_url(f"**{first.get_absolute_url()}")
    heading = page.locator("h1").inner_text()
    assert first.heading in heading and len(heading) < 100
    assert (
        page.locator(".action-text")
        .inner_text()
        .startswith("Introduzione di una tariffa puntuale dei rifiuti")
    )
    assert page.locator("svg .tick").count() >= 5  # the indicator chart has its axes
    journey.fits()
    journey.check_axe()
    journey.snap("action")

    # All actions, filtered: on a phone the filters wait behind a button and the list is made of cards.
    go(page, "/valenza/actions/")
    toggle = page.get_by_text("Filtri e ordinamento", exact=True)
    if journey.phone:
        assert toggle.is_visible() and not page.locator("#f-q").is_visible()
        assert (
            page.locator(".action-table tr").nth(1).evaluate("row => getComputedStyle(row).display")
            == "block"
        )
        journey.snap("actions-cards")
        toggle.click()
    else:
        assert not toggle.is_visible() and page.locator("#f-q").is_visible()
    assert page.locator("#f-q").is_visible()
    first_listed = page.locator(".action-table tbody tr a").first.inner_text()
    assert first_listed == first.title
    page.locator("label[for=f-status-in_progress]").click()
    page.wait_for_url("**status=in_progress**")
    in_progress = Action.objects.filter(
        mandate__municipality__slug="valenza", status="in_progress", children=None
    ).count()
    page.wait_for_function(
        f"() => document.querySelector('#results p').textContent.includes('{in_progress} azion')"
    )
    journey.fits()
    journey.check_axe()
    journey.snap("filtered")

    # The header search is usable on a phone too.
    search = page.get_by_label("Cerca nei programmi")
    assert search.bounding_box()["width"] > (200 if journey.phone else 150)
    search.fill("rifiuto")
    search.press("Enter")
    page.wait_for_url("**/search/?q=rifiuto")
    # One result links to the action (its snippet repeats the words, highlighted).
    assert page.get_by_role("link", name="Introduzione di una tariffa puntuale dei rifiuti").count() == 1
    journey.snap("search")

    # Who else promised this? From the action page.
    go(page, first.get_absolute_url())
    page.get_by_role("link", name="Chi altro lo ha promesso?", exact=True).click()
    page.wait_for_url("**/compare/?action=*")
    assert page.locator("h1").inner_text() == "Chi altro lo ha promesso?"
    assert first.heading in page.locator("h2").first.inner_text()
    journey.snap("compare")

    # In English.
    go(page, "/valenza/")
    page.get_by_role("link", name="English").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.get_by_role("heading", name="Overall progress").count() == 1
    assert page.locator(".it-brand-title").inner_text() == "Municipality of Valenza"
    journey.snap("english")

    # Downloads: the CSV really arrives, with every action.
    page.get_by_role("link", name="Open data", exact=True).click()
    page.wait_for_url("**/dati-aperti/")
    with page.expect_download() as download_info:
        page.locator('a[href$="export.csv"]').first.click()
    download = download_info.value
    body = Path(download.path()).read_bytes()
    assert download.suggested_filename.endswith(".csv")
    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 84 and rows[0]["title"] == first.title
    journey.snap("downloads")

    # The new pages pass axe too: legal pages and the widgets.
    for path in [
        "/valenza/privacy/",
        "/valenza/note-legali/",
        "/valenza/embed/",
        f"{first.get_absolute_url()}embed/",
    ]:
        go(page, path)
        journey.fits()
        journey.check_axe()
    journey.snap("widget")
    assert journey.axe == {}
