import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openmandato.accountability.services import record_progress
from openmandato.programs import rollup
from openmandato.programs.status import Status
from openmandato.tests.factory import (
    make_actions,
    make_area,
    make_mandate,
    make_municipality,
    make_section,
)

pytestmark = pytest.mark.django_db


def test_home_lists_municipalities(client, programs):
    body = client.get("/").content.decode()
    assert '<a href="/cremona/">Cremona</a>' in body
    assert '<a href="/valenza/">Valenza</a>' in body
    assert "84 azioni nel mandato in corso" in body
    assert "20 azioni nel mandato in corso" in body
    assert "Avanzamento complessivo: <strong>0%</strong>" in body


def test_municipality_page_is_a_dashboard(client, programs):
    action = make_action_in_progress()
    body = client.get("/valenza/").content.decode()
    assert "Programma elettorale 2020-2025" in body
    assert "Avanzamento complessivo" in body
    assert '<title id="status-chart-title">Azioni per stato</title>' in body
    assert "In corso: 1." in body and "Non avviata: 83." in body
    assert "Bambini&amp;Ragazzi" in body
    assert "FUTURO" in body
    assert action.title in body  # recently updated


def test_section_page_shows_summary_actions_status_and_progress(client, programs):
    action = make_action_in_progress()
    body = client.get(f"/valenza/sections/{action.section_id}/").content.decode()
    assert "La bellezza intesa non come azione puramente estetica" in body
    assert f'id="action-{action.pk}"' in body
    assert "In corso" in body and "45%" in body
    assert "Non avviata" in body


def make_action_in_progress():
    from openmandato.programs.models import Action

    action = Action.objects.get(mandate__municipality__slug="valenza", section__title="Bellezza", position=1)
    record_progress(
        action, user=None, system=True, status=Status.IN_PROGRESS, progress=45, date=datetime.date(2022, 1, 1)
    )
    return action


def test_cremona_section_pages_show_objectives_areas_and_child_actions(client, programs):
    from openmandato.programs.models import Section

    polo = Section.objects.get(title="POLO ALTA FORMAZIONE")
    body = client.get(f"/cremona/sections/{polo.pk}/").content.decode()
    assert "Sviluppare, consolidare e innovare le esperienze di alta formazione" in body
    assert "Area gestione, territorio e comunità" in body
    assert "Polo alta formazione e ricerca liutario" in body
    assert "Costituire un tavolo della liuteria" in body
    chapter = client.get(f"/cremona/sections/{polo.parent_id}/").content.decode()
    assert "POLO DI SVILUPPO" in chapter and "PIANO LOCALE GIOVANI" in chapter


def test_unknown_municipality_is_a_404_in_the_site_style(client, programs, settings):
    settings.DEBUG = False
    response = client.get("/atlantide/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "<h1>Pagina non trovata</h1>" in body
    assert "bootstrap-italia" in body.split("</head>")[0]
    assert 'class="it-header-wrapper' in body and "<footer" in body
    assert '<a class="btn btn-primary" href="/">Torna all\'elenco dei comuni</a>' in body


def test_user_text_is_escaped(client):
    mandate = make_mandate(make_municipality("Borgo"))
    section = make_section(mandate, title="<script>alert(1)</script>")
    make_actions(section, 1)
    rollup.recompute_shares(mandate.pk)
    body = client.get("/borgo/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_page_switches_to_english(client, programs):
    response = client.get("/lang/en/", {"next": "/valenza/"})
    assert response.status_code == 302 and response["Location"] == "/valenza/"
    body = client.get("/valenza/").content.decode()
    assert "Not started" in body
    assert "Progress by section" in body
    assert '<html lang="en">' in body
    assert client.get("/lang/it/", {"next": "https://evil.example/"})["Location"] == "/"


def build_mandate(name, n_actions):
    municipality = make_municipality(name)
    mandate = make_mandate(municipality)
    area = make_area(municipality)
    per_section = max(1, n_actions // 10)
    with rollup.deferred():
        for index in range(10):
            parent = make_section(mandate, title=f"Sezione {index}", position=index)
            section = make_section(mandate, title=f"Sottosezione {index}", parent=parent)
            section.areas.add(area)
            for action in make_actions(section, per_section):
                action.areas.add(area)
    rollup.recompute_shares(mandate.pk)
    return municipality


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_actions(client):
    small = build_mandate("Piccolo", 10)
    large = build_mandate("Grande", 1000)
    assert count_queries(client, f"/{small.slug}/") == count_queries(client, f"/{large.slug}/")
    small_action = small.mandates.get().actions.first()
    large_action = large.mandates.get().actions.first()
    assert count_queries(client, small_action.get_absolute_url()) == count_queries(
        client, large_action.get_absolute_url()
    )
    for suffix in [
        "come-calcoliamo/",
        "actions/",
        "actions/?sort=-progress&status=not_started",
        "search/?q=azione",
    ]:
        assert count_queries(client, f"/{small.slug}/{suffix}") == count_queries(
            client, f"/{large.slug}/{suffix}"
        )
    for title in ("Sezione 0", "Sottosezione 0"):  # a chapter, and a section of 1 or 100 actions
        small_section = small.mandates.get().sections.get(title=title).pk
        large_section = large.mandates.get().sections.get(title=title).pk
        assert count_queries(client, f"/{small.slug}/sections/{small_section}/") == count_queries(
            client, f"/{large.slug}/sections/{large_section}/"
        )
    small_area, large_area = small.areas.get().pk, large.areas.get().pk
    assert count_queries(client, f"/{small.slug}/areas/{small_area}/") == count_queries(
        client, f"/{large.slug}/areas/{large_area}/"
    )


def test_the_home_page_query_count_does_not_grow_with_the_number_of_municipalities(client):
    build_mandate("Primo", 5)
    one = count_queries(client, "/")
    for name in ["Secondo", "Terzo", "Quarto"]:
        build_mandate(name, 30)
    body = client.get("/").content.decode()
    assert all(f'href="/{slug}/"' in body for slug in ["primo", "secondo", "terzo", "quarto"])
    assert count_queries(client, "/") == one


def test_italian_is_the_default_whatever_the_browser_asks(client, programs):
    body = client.get("/valenza/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="it">' in body
    assert "Non avviata" in body


def test_a_large_section_shows_its_actions_a_page_at_a_time_and_its_subsections_as_links(client):
    from openmandato.portal.views import PAGE_SIZE

    municipality = build_mandate("Vasto", 600)  # 60 actions in each subsection
    mandate = municipality.mandates.get()
    chapter = mandate.sections.get(title="Sezione 3")
    section = mandate.sections.get(title="Sottosezione 3")
    order = list(mandate.actions.filter(section=section).order_by("tree_order").values_list("pk", flat=True))
    sub = mandate.actions.filter(section=section).order_by("tree_order")[1]
    child = make_actions(section, 1)[0]
    child.parent = sub
    child.save()
    url = f"/{municipality.slug}/sections/{section.pk}/"
    first = client.get(url).content.decode()
    shown = [int(pk) for pk in re.findall(r'<li class="action-item" id="action-(\d+)"', first)]
    assert shown[:2] == order[:2] and len([pk for pk in shown if pk != child.pk]) == PAGE_SIZE
    assert shown[2] == child.pk  # a sub-action comes under its action
    assert 'rel="next"' in first and f"Pagina 1 di {-(-len(order) // PAGE_SIZE)}" in first
    second = client.get(url + "?page=2").content.decode()
    assert re.findall(r'id="action-(\d+)"', second)[0] == str(order[PAGE_SIZE])
    last = client.get(url + "?page=999").content.decode()  # past the end: the last page, not an error
    assert str(order[-1]) in re.findall(r'id="action-(\d+)"', last)
    chapter_page = client.get(f"/{municipality.slug}/sections/{chapter.pk}/").content.decode()
    assert f'href="/{municipality.slug}/sections/{section.pk}/"' in chapter_page
    assert 'class="action-item"' not in chapter_page  # its subsections' actions are on their own pages
