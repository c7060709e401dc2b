""" "Chi altro lo ha promesso?": a score, a threshold, side by side, restricted by place, precomputed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openmandato.accountability.models import ProgressUpdate
from openmandato.programs.models import Action
from openmandato.programs.status import Status
from openmandato.search.models import ActionNeighbour
from openmandato.search.similarity import THRESHOLD
from openmandato.search.tests.conftest import make_program

pytestmark = pytest.mark.django_db


def action(title_start):
    return Action.objects.get(title__startswith=title_start)


def test_similar_promises_of_other_comuni_come_with_a_score_above_the_threshold(comuni, client):
    origin = action("Potenziamento dei servizi di telemedicina")
    neighbours = ActionNeighbour.objects.filter(action=origin, score__gte=THRESHOLD)
    assert [n.neighbour.title for n in neighbours] == ["Telemedicina per gli anziani delle frazioni"]
    page = client.get("/compare/", {"action": origin.pk}).content.decode()
    assert "Telemedicina per gli anziani delle frazioni" in page
    assert "Macroaree" not in page and "macroaree" not in page
    score = neighbours.get().score
    assert f"{score:.2f}".replace(".", ",") in page or f"{score:.2f}" in page


def test_below_the_threshold_nothing_is_shown(comuni, client):
    origin = action("Analisi delle macroaree produttive")
    assert not ActionNeighbour.objects.filter(action=origin, score__gte=THRESHOLD).exists()
    page = client.get("/compare/", {"action": origin.pk}).content.decode()
    assert "Nessun impegno simile in altri comuni." in page
    assert "Telemedicina" not in page


def test_no_action_is_its_own_comune_neighbour(comuni):
    pairs = ActionNeighbour.objects.select_related("action__mandate", "neighbour__mandate")
    assert pairs.exists()
    assert all(p.action.mandate.municipality_id != p.neighbour.mandate.municipality_id for p in pairs)


def test_side_by_side_status_progress_last_update_and_source(comuni, client):
    origin = action("Potenziamento dei servizi di telemedicina")
    other = action("Telemedicina per gli anziani")
    ProgressUpdate.objects.create(
        action=other, date=datetime.date(2024, 3, 5), status=Status.IN_PROGRESS, progress=35
    )
    Action.objects.filter(pk=other.pk).update(status=Status.IN_PROGRESS, progress=35)
    page = client.get("/compare/", {"action": origin.pk}).content.decode()
    assert "In corso" in page and "35%" in page
    assert "5 marzo 2024" in page.lower()
    assert "Programma di Riva Bassa" in page  # the source: the program it was promised in
    assert "Borgo Alto" in page and "origine" in page  # the origin's row beside it


def test_compare_can_be_restricted_to_a_region_or_a_province(comuni, client):
    origin = action("Riqualificazione dei parchi cittadini")
    assert "Mille alberi nei giardini" in client.get("/compare/", {"action": origin.pk}).content.decode()
    for params in ({"region": "Lombardia"}, {"province": "MI"}):
        page = client.get("/compare/", {"action": origin.pk, **params}).content.decode()
        assert "Mille alberi nei giardini" not in page and "Nessun impegno simile" in page
    assert "Mille alberi" in client.get("/compare/", {"action": origin.pk, "province": "fi"}).content.decode()


def test_a_typed_promise_finds_each_comunes_best_match(comuni, client):
    page = client.get("/compare/", {"q": "telemedicina"}).content.decode()
    assert "Borgo Alto" in page and "Riva Bassa" in page
    assert "Nessun impegno simile" in client.get("/compare/", {"q": "qwxzkv"}).content.decode()


def test_the_compare_page_is_a_lookup_with_a_fixed_number_of_queries(comuni, client):
    def queries(pk):
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/compare/", {"action": pk}).status_code == 200
        return len(captured)

    assert queries(action("Potenziamento dei servizi").pk) == queries(action("Analisi delle macro").pk)
    assert client.get("/compare/", {"action": "99999"}).status_code == 200
    assert (
        client.get("/compare/", {"action": "9" * 30}).status_code == 400
    )  # the odd-input guard's clear error
    assert (
        client.get("/compare/", {"action": action("Zanzariere").pk}).content.decode().count("Zanzariere") == 0
    )


def test_neighbours_are_precomputed_by_a_real_worker_when_a_program_is_imported(task_worker):
    worker = task_worker()
    make_program(
        "Colle",
        {"Salute": [("Servizio di telemedicina per i malati cronici", "Visite a distanza e telemedicina.")]},
    )
    make_program(
        "Piana",
        {"Sanità": [("Telemedicina nelle frazioni di montagna", "Visite a distanza con la telemedicina.")]},
    )
    worker.drain()
    first = action("Servizio di telemedicina")
    second = action("Telemedicina nelle frazioni")
    pair = ActionNeighbour.objects.get(action=first, neighbour=second)
    assert pair.score >= THRESHOLD
    assert ActionNeighbour.objects.filter(action=second, neighbour=first, score=pair.score).exists()
    # editing the text changes the neighbours, again in the background
    second.title = "Sportello per il rinnovo della carta d'identità"
    second.text = "Appuntamenti online all'anagrafe."
    second.save()
    worker.drain()
    assert not ActionNeighbour.objects.filter(action=first, neighbour=second, score__gte=THRESHOLD).exists()


def test_an_import_enqueues_one_refresh_per_mandate_and_a_rollback_none(
    db, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        mandate = make_program("Colle", {"Salute": [("Uno", ""), ("Due", ""), ("Tre", "")]})
    assert [getattr(c, "search_mandate", None) for c in callbacks] == [mandate.pk]
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                make_program("Piana", {"Salute": [("Uno", "")]})
                raise RuntimeError
        except RuntimeError:
            pass
        with transaction.atomic():
            other = make_program("Monte", {"Salute": [("Uno", ""), ("Due", "")]})
    assert [getattr(c, "search_mandate", None) for c in callbacks] == [other.pk]
