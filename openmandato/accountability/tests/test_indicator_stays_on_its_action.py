"""An indicator with measurements belongs to its action for good: the measurements are chained in
the ledger with that action, so moving it would look like tampering."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from openmandato.accountability.models import Indicator
from openmandato.accountability.services import add_measurement
from openmandato.tests.fixtures import PAST


def form_data(action):
    return {
        "action": action.pk,
        "name": "Alberi messi a dimora",
        "unit": "n",
        "baseline": "0",
        "baseline_date": "2020-01-01",
        "target": "100",
        "target_date": "2025-01-01",
        "direction": "up",
        "position": "0",
    }


def verify_ledger_exit_code() -> int:
    try:
        call_command("verify_ledger")
    except SystemExit as exit_info:
        return exit_info.code
    return 0


def test_the_admin_does_not_move_a_measured_indicator_and_the_ledger_stays_valid(world, indicator):
    add_measurement(indicator, user=world.users["admin"], date=PAST, value=Decimal(30))
    client = Client()
    client.force_login(world.users["admin"])
    page = client.get(f"/admin/accountability/indicator/{indicator.pk}/change/").content.decode()
    assert 'name="action"' not in page
    url = f"/admin/accountability/indicator/{indicator.pk}/change/"
    client.post(url, form_data(world.action_b))
    indicator.refresh_from_db()
    assert indicator.name == "Alberi messi a dimora"  # the rest of the form was saved
    assert indicator.action_id == world.action_a.pk
    assert verify_ledger_exit_code() == 0


def test_the_model_refuses_to_move_a_measured_indicator(world, indicator):
    add_measurement(indicator, user=world.users["admin"], date=PAST, value=Decimal(30))
    indicator.action = world.action_b
    with pytest.raises(ValidationError, match="misurazioni"):
        indicator.save()
    assert Indicator.objects.get(pk=indicator.pk).action_id == world.action_a.pk
    assert verify_ledger_exit_code() == 0


def test_an_indicator_without_measurements_can_still_be_moved(world, indicator):
    client = Client()
    client.force_login(world.users["admin"])
    url = f"/admin/accountability/indicator/{indicator.pk}/change/"
    client.post(url, form_data(world.action_b))
    indicator.refresh_from_db()
    assert indicator.action_id == world.action_b.pk
