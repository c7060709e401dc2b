"""What a citizen gets beyond the data: short headings, shared-link previews, icons, readable charts."""

import datetime
import html
import re

import pytest
from django.contrib.staticfiles import finders

from openmandato.accountability.models import Indicator, Measurement
from openmandato.accountability.services import record_progress
from openmandato.programs.models import Action

pytestmark = pytest.mark.django_db
LONG = (
    "Introduzione di una tariffa puntuale dei rifiuti calcolata in base all'effettivo conferimento di "
    "rifiuti anche attraverso la riattivazione di cassonetti seminterrati intelligenti"
)


def meta(body, attribute, name):
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', body)
    return html.unescape(found.group(1)).strip() if found else None


@pytest.fixture
def long_action(programs):
    action = Action.objects.filter(mandate__municipality__slug="valenza").order_by("tree_order").first()
    action.title = LONG[:159] + "…"
    action.text = LONG + ". Adeguamento delle modalità di raccolta."
    action.save()
    record_progress(
        action, user=None, system=True, status="in_progress", progress=45, date=datetime.date(2023, 3, 1)
    )
    return action


def test_the_action_heading_is_short_and_the_full_text_follows(client, long_action):
    body = client.get(long_action.get_absolute_url()).content.decode()
    h1 = re.search(r"<h1>(.*?)</h1>", body, re.S).group(1)
    heading = html.unescape(re.sub(r"<[^>]+>", "", h1)).strip()
    assert len(heading) <= 95
    assert heading.endswith("…") and heading.split(" ", 1)[1][:-1] in LONG
    paragraph = re.search(r'<p class="action-text">(.*?)</p>', body, re.S).group(1)
    assert html.unescape(paragraph) == long_action.text
    short = Action.objects.filter(mandate__municipality__slug="valenza", title__regex=r"^.{5,60}$").first()
    assert short.heading == short.title


def test_a_shared_action_link_shows_the_action_its_status_and_progress(client, long_action):
    body = client.get(long_action.get_absolute_url()).content.decode()
    assert meta(body, "property", "og:title") == f"{long_action.heading} — Comune di Valenza"
    description = meta(body, "property", "og:description")
    assert description.startswith(
        "In corso, avanzamento 45% — un impegno del programma di mandato del Comune di Valenza."
    )
    assert meta(body, "name", "description") == description
    assert meta(body, "property", "og:url") == f"http://testserver{long_action.get_absolute_url()}"
    assert meta(body, "property", "og:type") == "article"
    assert meta(body, "property", "og:image").startswith("http://testserver/static/portal/icon-512")
    comune = client.get("/valenza/").content.decode()
    assert meta(comune, "property", "og:title") == "Comune di Valenza — Programma elettorale 2020-2025"
    assert re.fullmatch(
        r"Il programma di mandato del Comune di Valenza \(«Programma elettorale 2020-2025»\): 84 azioni, "
        r"avanzamento complessivo \d+%\.",
        meta(comune, "name", "description"),
    )


def test_every_page_has_a_favicon_that_exists(client, programs):
    body = client.get("/").content.decode()
    icons = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="/static/([^"]+)"', body)
    assert sorted(icons) == ["portal/favicon.ico", "portal/favicon.svg", "portal/icon-180.png"]
    for icon in icons:
        assert finders.find(icon), icon
    with open(finders.find("portal/favicon.ico"), "rb") as ico:
        assert ico.read(4) == b"\0\0\1\0"
    assert client.get("/favicon.ico")["Location"] == "/static/portal/favicon.ico"


def test_indicator_charts_have_value_and_date_axes(client, programs):
    action = Action.objects.filter(mandate__municipality__slug="valenza").first()
    indicator = Indicator.objects.create(
        action=action,
        name="Raccolta differenziata",
        unit="%",
        baseline=40,
        baseline_date=datetime.date(2020, 1, 1),
        target=80,
        target_date=datetime.date(2025, 12, 31),
    )
    for year, value in [(2021, 50), (2023, 65)]:
        Measurement.objects.create(indicator=indicator, date=datetime.date(year, 6, 30), value=value)
    body = client.get(action.get_absolute_url()).content.decode()
    chart = body.split(f'id="ind-{indicator.pk}-title"', 1)[1].split("</svg>", 1)[0]
    ticks = re.findall(r'<text class="tick"[^>]*>([^<]+)</text>', chart)
    assert ticks[:5] == ["40", "50", "60", "70", "80"]
    assert ticks[5:] == ["2020", "2021", "2022", "2023", "2024", "2025"]


def test_phone_layout_hooks_are_in_the_markup_without_inline_script(client, programs):
    body = client.get("/valenza/actions/").content.decode()
    assert re.search(
        r'<details class="filters-toggle[^"]*" open>\s*<summary[^>]*>Filtri e ordinamento</summary>', body
    )
    assert body.count('data-label="Stato"') == 25 and 'class="table action-table"' in body
    for url in [
        "/",
        "/valenza/",
        "/valenza/actions/",
        Action.objects.first().get_absolute_url(),
        "/valenza/embed/",
    ]:
        page = client.get(url).content.decode()
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == [], url
        assert re.findall(r"<[^>]+\son[a-z]+=", page) == [], url
