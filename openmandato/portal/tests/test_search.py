import pytest
from django.db import connection, transaction

from openmandato.portal.search import search_actions
from openmandato.programs.models import Action
from openmandato.programs.textsearch import document_terms, query_terms
from openmandato.search.engine import analyse, matching
from openmandato.tests.factory import make_mandate, make_municipality, make_section

pytestmark = pytest.mark.django_db


def titles(query):
    return [a.title for a in search_actions(Action.objects.all(), query)]


@pytest.fixture
def borgo():
    section = make_section(make_mandate(make_municipality("Borgo")), "Territorio")
    for position, title in enumerate(
        [
            "Riqualificazione delle piazze del centro",
            "Riqualificare i parchi giochi",
            "Nuova isola ecologica per la raccolta dei rifiuti",
            "La città dei bambini",
            "Potenziamento del trasporto pubblico",
        ]
    ):
        Action.objects.create(section=section, title=title, position=position)


def test_terms_are_lemmatised_stemmed_and_unaccented():
    assert query_terms("rifiuto") == query_terms("rifiuti")
    assert query_terms("citta") == query_terms("Città")
    assert query_terms("riqualificare") == query_terms("riqualificazione")
    assert query_terms("della la e") == []
    assert query_terms("riqualificare")[0] in document_terms("Riqualificazione delle piazze").split()


def test_italian_search_finds_inflections_accents_and_nouns_of_action(borgo):
    assert titles("rifiuto") == ["Nuova isola ecologica per la raccolta dei rifiuti"]
    assert titles("citta") == ["La città dei bambini"]
    assert set(titles("riqualificare")) == {
        "Riqualificazione delle piazze del centro",
        "Riqualificare i parchi giochi",
    }
    assert titles("potenziare trasporti") == ["Potenziamento del trasporto pubblico"]
    # several words: any may match, those matching more come first
    assert len(titles("piazze rifiuti")) == 2
    assert titles("isola ecologica rifiuti")[0] == "Nuova isola ecologica per la raccolta dei rifiuti"


def test_odd_queries_never_break(borgo, client):
    for query in [
        '"',
        "AND OR NOT",
        "*",
        "a:b",
        "()",
        "'; DROP TABLE programs_action; --",
        "é" * 300,
    ]:
        assert titles(query) == [], query
        assert client.get("/search/", {"q": query}).status_code == 200, query
    # A NUL byte never reaches the database: the search finds nothing, the page says why with a 400.
    assert titles("\x00x") == []
    assert client.get("/search/", {"q": "\x00x"}).status_code == 400
    # Query syntax around a real word is taken as text, and the table is still there.
    for query in ['"rifiuti', "rifiuti*", "(rifiuti)", "rifiuti:"]:
        assert titles(query) == ["Nuova isola ecologica per la raccolta dei rifiuti"], query
    assert Action.objects.count() == 5


def test_postgresql_uses_the_stored_vector_and_its_gin_index(borgo):
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL; SQLite uses FTS5")
    # Whether the planner prefers the index depends on the table's statistics, which the rest of the suite
    # changes: with sequential and plain index scans off, only an index that can answer the condition
    # (the GIN index, through a bitmap scan) avoids the penalty.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        analysis = analyse("rifiuti")
        sql, params = matching(Action.objects.all(), analysis).query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "action_search_vector_gin" in plan, plan


def test_national_search_names_each_results_municipality(client, programs):
    body = client.get("/search/", {"q": "telemedicina"}).content.decode()
    assert "Valenza" in body and "Potenziamento dei servizi di telemedicina" in body
    body = client.get("/search/", {"q": "sviluppo"}).content.decode()
    results = body.split('class="list-unstyled search-results"')[1]
    assert ">Cremona</a>" in results and ">Valenza</a>" in results


def test_municipality_search_stays_in_the_municipality(client, programs):
    body = client.get("/cremona/search/", {"q": "sviluppo"}).content.decode()
    assert "Cremona" in body and ">Valenza<" not in body


def test_compare_shows_similar_promises_elsewhere(client, programs, django_capture_on_commit_callbacks):
    telemedicine = Action.objects.get(text__startswith="Potenziamento dei servizi di telemedicina")
    with django_capture_on_commit_callbacks(execute=True):  # the refresh task runs (immediate backend)
        other = make_section(make_mandate(make_municipality("Altrove")), "Salute")
        Action.objects.create(
            section=other, title="Telemedicina per gli anziani soli", status="in_progress", progress=30
        )
    body = client.get("/compare/", {"action": telemedicine.pk}).content.decode()
    table = body.split('class="table compare-table"')[1]
    assert "Telemedicina per gli anziani soli" in table and "30%" in table
    assert table.count("Potenziamento dei servizi di telemedicina") == 1  # the origin's own row
