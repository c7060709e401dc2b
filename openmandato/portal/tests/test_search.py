import pytest
from django.db import connection

from openmandato.portal.search import search_actions
from openmandato.programs.models import Action
from openmandato.programs.tests.factory import make_mandate, make_municipality, make_section
from openmandato.programs.textsearch import document_terms, query_terms

pytestmark = pytest.mark.django_db


def titles(query, **kwargs):
    return [a.title for a in search_actions(Action.objects.all(), query, **kwargs)]


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
    assert titles("piazze rifiuti") == []
    assert len(titles("piazze rifiuti", any_term=True)) == 2


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


def test_postgresql_uses_the_italian_gin_index(borgo):
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL; SQLite uses FTS5")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        sql, params = search_actions(Action.objects.all(), "rifiuti").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "action_search_gin" in plan


def test_national_search_groups_results_by_municipality(client, programs):
    body = client.get("/search/", {"q": "telemedicina"}).content.decode()
    assert "Valenza" in body and "Potenziamento dei servizi di telemedicina" in body
    body = client.get("/search/", {"q": "sviluppo"}).content.decode()
    assert body.index('id="group-') > 0 and "Cremona" in body and "Valenza" in body


def test_municipality_search_stays_in_the_municipality(client, programs):
    body = client.get("/cremona/search/", {"q": "sviluppo"}).content.decode()
    assert "Cremona" in body and ">Valenza<" not in body


def test_compare_shows_similar_promises_elsewhere(client, programs):
    telemedicine = Action.objects.get(text__startswith="Potenziamento dei servizi di telemedicina")
    other = make_section(make_mandate(make_municipality("Altrove")), "Salute")
    Action.objects.create(
        section=other, title="Telemedicina per gli anziani soli", status="in_progress", progress=30
    )
    body = client.get("/compare/", {"action": telemedicine.pk}).content.decode()
    assert "Telemedicina per gli anziani soli" in body
    assert "Potenziamento dei servizi di telemedicina" not in body.split("<h1")[1].split("</form>")[1]
    assert "30%" in body
