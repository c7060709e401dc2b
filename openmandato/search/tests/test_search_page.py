"""The search page and API: results people can judge, filters, escaping, a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openmandato.programs.models import Action, Section
from openmandato.programs.status import Status
from openmandato.search.vocabulary import rebuild_vocabulary

pytestmark = pytest.mark.django_db


def test_results_show_comune_section_status_progress_and_a_highlighted_snippet(comuni, client):
    Action.objects.filter(title__startswith="Telemedicina per").update(status=Status.IN_PROGRESS, progress=40)
    page = client.get("/search/", {"q": "telemedicna"}).content.decode()
    assert "Forse cercavi:" in page and "?q=telemedicina" in page
    assert "Riva Bassa" in page and "Salute" in page
    assert "In corso" in page and "40%" in page
    assert "<mark>telemedicina</mark>" in page.lower() or "<mark>Telemedicina</mark>" in page
    assert "Visite a distanza con il distretto sanitario." in page or "<mark>Telemedicina</mark>" in page


def test_action_text_is_escaped_in_snippets(comuni, client):
    section = Section.objects.get(title="Salute")
    Action.objects.create(
        section=section,
        position=9,
        title='<script>alert("t")</script> Ambulatorio mobile',
        text='<img src=x onerror=alert(1)> ambulatorio mobile e telemedicina "sicura" & gratuita',
    )
    page = client.get("/search/", {"q": "ambulatorio"}).content.decode()
    assert "<img src=x" not in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; <mark>ambulatorio</mark>" in page
    assert "&quot;sicura&quot; &amp; gratuita" in page
    data = client.get("/api/v1/search", {"q": "ambulatorio"}).json()
    item = data["items"][0]
    assert item["snippet"].startswith("<img src=x onerror=alert(1)> ambulatorio")  # JSON carries plain text
    start, end = item["highlights"][0]
    assert item["snippet"][start:end] == "ambulatorio"


def test_filters_on_the_national_search(comuni, client):
    def found(**params):
        page = client.get("/search/", {"q": "telemedicina", **params}).content.decode()
        return ("Borgo Alto" in page, "Riva Bassa" in page)

    assert found() == (True, True)
    assert found(region="Toscana") == (False, True)
    assert found(comune="borgo-alto") == (True, False)
    assert found(comune="Riva Bassa") == (False, True)
    Action.objects.filter(title__startswith="Telemedicina per").update(status=Status.DONE, progress=100)
    assert found(status=Status.DONE) == (False, True)
    parks = client.get("/search/", {"q": "verde", "mission": "09"}).content.decode()
    assert "Riqualificazione dei parchi cittadini" in parks and "Piste ciclabili" not in parks
    # unknown filter values are ignored, never an error
    assert (
        client.get(
            "/search/", {"q": "verde", "mission": "99'", "status": "<x>", "region": "\u202e"}
        ).status_code
        == 200
    )


def test_a_draft_program_is_never_found(comuni, client):
    page = client.get("/search/", {"q": "zanzariere"}).content.decode()
    assert "Zanzariere" not in page and "Segreta" not in page
    assert client.get("/api/v1/search", {"q": "zanzariere"}).json()["count"] == 0


def test_the_number_of_queries_does_not_depend_on_the_number_of_results(comuni, client):
    section = Section.objects.get(title="Territorio")
    for i in range(30):
        Action.objects.create(section=section, position=10 + i, title=f"Manutenzione dei parchi, lotto {i}")
    rebuild_vocabulary()

    def queries(**params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/search/", params).status_code == 200
        return len(captured)

    one = queries(q="telemedicina anziani", region="Toscana")
    many = queries(q="parchi")
    assert one == many
    assert queries(q="parchi", page=2) == many
    assert queries(q="telemedicna") == many + 1  # the correction's trigram lookup
    api = []
    for q in ("telemedicina", "parchi"):
        with CaptureQueriesContext(connection) as captured:
            client.get("/api/v1/search", {"q": q})
        api.append(len(captured))
    assert api[0] == api[1]


def test_results_are_paginated(comuni, client):
    section = Section.objects.get(title="Territorio")
    for i in range(25):
        Action.objects.create(section=section, position=10 + i, title=f"Manutenzione dei parchi, lotto {i}")
    first = client.get("/search/", {"q": "parchi"}).content.decode()
    assert "Pagina 1 di 2" in first and 'rel="next"' in first
    data = client.get("/api/v1/search", {"q": "parchi", "page": 2}).json()
    assert data["page"] == 2 and data["pages"] == 2 and len(data["items"]) == data["count"] - 20


def test_the_api_answers_bad_input_with_json(comuni, client):
    for params in ({"q": "x" * 201}, {"q": "parchi", "page": 0}, {"q": "parchi", "status": "nope"}, {}):
        response = client.get("/api/v1/search", params)
        assert response.status_code in (400, 422) and "detail" in response.json(), params


def test_a_comune_search_stays_in_the_comune(comuni, client):
    page = client.get("/borgo-alto/search/", {"q": "telemedicina"}).content.decode()
    assert "Potenziamento dei servizi di telemedicina" in page and "Telemedicina per gli anziani" not in page
    assert client.get("/segreta/search/", {"q": "zanzariere"}).status_code == 404
