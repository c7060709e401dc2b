import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openmandato.accountability import rollup
from openmandato.accountability.services import record_progress
from openmandato.programs.status import Status
from openmandato.programs.tests.factory import (
    make_actions,
    make_area,
    make_mandate,
    make_municipality,
    make_section,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programs(valenza_path, cremona_path):
    call_command("import_program", str(valenza_path), verbosity=0)
    call_command("import_program", str(cremona_path), "--municipality", "Cremona", verbosity=0)


def test_home_lists_municipalities(client, programs):
    body = client.get("/").content.decode()
    assert '<a href="/cremona/">Cremona</a>' in body
    assert '<a href="/valenza/">Valenza</a>' in body
    assert "84 azioni nel mandato in corso" in body
    assert "20 azioni nel mandato in corso" in body
    assert "Avanzamento complessivo: <strong>0%</strong>" in body


def test_municipality_page_shows_sections_actions_status_and_progress(client, programs):
    action = make_action_in_progress()
    response = client.get("/valenza/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Programma elettorale 2020-2025" in body
    assert "Bambini&amp;Ragazzi" in body
    assert "Raddoppiare il progetto “un albero per ogni nato”" in body
    assert f'id="action-{action.pk}"' in body
    assert 'value="45"' in body and "45%" in body
    assert "In corso" in body
    assert "Non avviata" in body
    assert "FUTURO" in body


def make_action_in_progress():
    from openmandato.programs.models import Action

    action = Action.objects.get(mandate__municipality__slug="valenza", section__title="Bellezza", position=1)
    record_progress(
        action, user=None, system=True, status=Status.IN_PROGRESS, progress=45, date=datetime.date(2022, 1, 1)
    )
    return action


def test_cremona_page_shows_objectives_areas_and_child_actions(client, programs):
    body = client.get("/cremona/").content.decode()
    assert "Costruire un Polo di Sviluppo della città" in body
    assert "Area welfare di comunità e coesione sociale" in body
    assert "Polo alta formazione e ricerca liutario" in body
    assert "Costituire un tavolo della liuteria" in body


def test_unknown_municipality_is_a_404_in_the_site_style(client, programs):
    response = client.get("/atlantide/")
    assert response.status_code == 404


def test_user_text_is_escaped(client):
    mandate = make_mandate(make_municipality("Borgo"))
    section = make_section(mandate, title="<script>alert(1)</script>")
    make_actions(section, 1)
    body = client.get("/borgo/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_page_switches_to_english(client, programs):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/valenza/"})
    assert response.status_code == 302
    body = client.get("/valenza/").content.decode()
    assert "Not started" in body
    assert "Sections and actions" in body
    assert '<html lang="en">' in body


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
    assert count_queries(client, f"/{small.slug}/come-calcoliamo/") == count_queries(
        client, f"/{large.slug}/come-calcoliamo/"
    )
    assert count_queries(client, "/") == count_queries(client, "/")


def test_italian_is_the_default_whatever_the_browser_asks(client, programs):
    body = client.get("/valenza/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="it">' in body
    assert "Non avviata" in body
