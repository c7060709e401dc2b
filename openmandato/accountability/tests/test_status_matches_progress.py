"""One rule on every surface: "Realizzata" is 100 %, 100 % is only "Realizzata", "Non avviata" is 0 %.
A contradicting write is refused with one line and changes nothing."""

import html
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from openmandato.accountability.models import ProgressUpdate
from openmandato.accountability.services import add_measurement, record_progress
from openmandato.api.models import ApiToken
from openmandato.importer.spreadsheet import plan_spreadsheet
from openmandato.programs.models import Action
from openmandato.tests.fixtures import PAST

CONTRADICTIONS = [
    ("in_progress", 100, "Al 100% l'azione è «Realizzata»"),
    ("stalled", 100, "Al 100% l'azione è «Realizzata»"),
    ("not_started", 30, "Un'azione «Non avviata» è allo 0%"),
    ("done", 80, "Un'azione realizzata è al 100%"),
]


@pytest.mark.parametrize(("status", "progress", "message"), CONTRADICTIONS)
def test_the_service_refuses_a_contradiction(world, status, progress, message):
    with pytest.raises(ValidationError, match=message):
        record_progress(
            world.action_a, user=world.users["admin"], status=status, progress=progress, date=PAST
        )
    assert ProgressUpdate.objects.count() == 0


@pytest.mark.parametrize(("status", "progress", "message"), CONTRADICTIONS)
def test_the_back_office_form_shows_one_line_on_the_progress_field(world, status, progress, message):
    client = Client()
    client.force_login(world.users["admin"])
    response = client.post(
        f"/backoffice/actions/{world.action_a.pk}/update/",
        {"date": PAST.isoformat(), "status": status, "progress": str(progress)},
    )
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert len(response.context["form"].errors["progress"]) == 1
    assert ProgressUpdate.objects.count() == 0


@pytest.mark.parametrize(("status", "progress", "message"), CONTRADICTIONS[:3])
def test_the_api_answers_400_with_the_rule(world, status, progress, message):
    _token, secret = ApiToken.issue(world.users["admin"], "test")
    response = Client().post(
        f"/api/v1/actions/{world.action_a.pk}/updates",
        {"date": PAST.isoformat(), "status": status, "progress": progress},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert ProgressUpdate.objects.count() == 0


def spreadsheet_row(action: Action, **changes) -> dict:
    row = {
        "id": action.pk,
        "code": action.code,
        "title": action.title,
        "text": action.text,
        "areas": "; ".join(a.name for a in action.areas.all()),
        "weight": str(action.weight),
        "budget": "",
        "due_date": "",
        "status": action.status,
        "progress": str(action.progress),
    }
    return row | changes


@pytest.mark.parametrize(("status", "progress", "message"), CONTRADICTIONS[:3])
def test_the_spreadsheet_import_names_the_row(world, status, progress, message):
    rows = [spreadsheet_row(world.action_a, status=status, progress=str(progress))]
    plan = plan_spreadsheet(world.mandate, rows, user=world.users["admin"])
    assert plan.changes == []
    assert len(plan.errors) == 1 and plan.errors[0].startswith("riga 2: ") and message in plan.errors[0]


def test_indicators_at_target_do_not_make_an_action_in_progress_at_100(world, indicator):
    Action.objects.filter(pk=world.action_a.pk).update(progress_from_indicators=True)
    world.action_a.refresh_from_db()
    add_measurement(indicator, user=world.users["admin"], date=PAST, value=Decimal(40))
    add_measurement(indicator, user=world.users["admin"], date=PAST, value=Decimal(120))
    world.action_a.refresh_from_db()
    assert (world.action_a.status, world.action_a.progress) == ("in_progress", 99)
