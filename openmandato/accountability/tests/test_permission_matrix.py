"""Every write, for every kind of visitor: anonymous, citizen, area manager of the right area, of
another area, staff of another municipality, program editor and administrator."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openmandato.accountability.models import Measurement, ProgressUpdate
from openmandato.accountability.services import add_measurement, record_progress
from openmandato.programs.models import Action
from openmandato.tests.fixtures import PAST

UPDATERS = {"manager_a", "admin"}
EDITORS = {"editor", "admin"}
ALL = ["anonymous", "citizen", "manager_a", "manager_b", "other_admin", "editor", "admin"]


def client_for(world, who):
    client = Client()
    if who != "anonymous":
        client.force_login(world.users[who])
    return client


@pytest.mark.parametrize("who", ALL)
def test_posting_an_update_in_the_back_office(world, who):
    response = client_for(world, who).post(
        f"/backoffice/actions/{world.action_a.pk}/update/",
        {"date": PAST.isoformat(), "status": "in_progress", "progress": "20", "note": "Avviati i lavori"},
    )
    created = ProgressUpdate.objects.filter(action=world.action_a).count()
    if who in UPDATERS:
        assert response.status_code == 302
        assert created == 1
    else:
        assert response.status_code in (302, 403)
        if who == "anonymous":
            assert response["Location"].startswith("/accounts/login/")
        else:
            assert response.status_code == 403
        assert created == 0


@pytest.mark.parametrize("who", ALL)
def test_uploading_evidence_in_the_back_office(world, who):
    pdf = SimpleUploadedFile(
        "delibera.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", content_type="application/pdf"
    )
    response = client_for(world, who).post(
        f"/backoffice/actions/{world.action_a.pk}/update/",
        {"date": PAST.isoformat(), "status": "partially_done", "progress": "60", "document": pdf},
    )
    stored = ProgressUpdate.objects.filter(action=world.action_a, evidence__kind="document").count()
    assert stored == (1 if who in UPDATERS else 0), response.status_code


@pytest.mark.parametrize("who", ALL)
def test_adding_a_measurement_in_the_back_office(world, indicator, who):
    client_for(world, who).post(
        f"/backoffice/indicators/{indicator.pk}/measurements/", {"date": PAST.isoformat(), "value": "30"}
    )
    assert Measurement.objects.filter(indicator=indicator).count() == (1 if who in UPDATERS else 0)


@pytest.mark.parametrize("who", ALL)
def test_editing_the_program_text_in_the_admin(world, who):
    action = world.action_a
    client_for(world, who).post(
        f"/admin/programs/action/{action.pk}/change/",
        {
            "section": action.section_id,
            "position": 0,
            "code": "1",
            "title": "Piantare mille alberi",
            "text": "",
            "areas": [world.area_a.pk],
            "weight": "1",
            "dup_mission": "",
            "dup_program": "",
        },
    )
    action.refresh_from_db()
    changed = action.title == "Piantare mille alberi"
    assert changed == (who in EDITORS)


@pytest.mark.parametrize("who", ["anonymous", "citizen", "manager_b", "other_admin", "editor"])
def test_the_services_refuse_the_same_people(world, indicator, who):
    user = None if who == "anonymous" else world.users[who]
    with pytest.raises(PermissionDenied):
        record_progress(world.action_a, user=user, status="in_progress", progress=10, date=PAST)
    with pytest.raises(PermissionDenied):
        add_measurement(indicator, user=user, date=PAST, value=Decimal(5))


def test_staff_of_another_municipality_cannot_see_it_in_the_admin(world):
    client = client_for(world, "other_admin")
    assert client.get(f"/admin/programs/action/{world.action_a.pk}/change/").status_code == 302
    listing = client.get("/admin/programs/action/").content.decode()
    assert "Piantare alberi" not in listing


def test_an_area_manager_sees_only_the_actions_of_their_areas(world):
    body = client_for(world, "manager_a").get("/backoffice/").content.decode()
    assert "Piantare alberi" in body
    assert "Aprire il teatro" not in body
    assert Action.objects.count() == 2


def test_drafts_are_visible_only_to_their_municipality_staff(world):
    # Published, everyone reads the action in the list: the checks below can fail.
    assert "Piantare alberi" in Client().get("/borgo/actions/").content.decode()
    assert "Piantare alberi" in client_for(world, "other_admin").get("/borgo/actions/").content.decode()
    world.mandate.is_published = False
    world.mandate.save()
    assert "Piantare alberi" not in Client().get("/borgo/actions/").content.decode()
    assert "Piantare alberi" not in client_for(world, "other_admin").get("/borgo/actions/").content.decode()
    assert "Piantare alberi" in client_for(world, "manager_b").get("/borgo/actions/").content.decode()
    assert "Bozza non pubblicata" in client_for(world, "manager_b").get("/borgo/").content.decode()
    assert Client().get(f"/borgo/actions/{world.action_a.pk}/").status_code == 404
