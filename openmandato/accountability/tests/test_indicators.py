import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client

from openmandato.accountability.models import Direction, Indicator, LedgerEntry
from openmandato.accountability.services import add_indicator, add_measurement
from openmandato.programs.models import Action

pytestmark = pytest.mark.django_db


def indicator(action, **fields):
    values = {
        "name": "Alberi per nato",
        "unit": "alberi",
        "baseline": Decimal(1),
        "baseline_date": datetime.date(2020, 9, 1),
        "target": Decimal(2),
        "target_date": datetime.date(2025, 9, 1),
    }
    values.update(fields)
    return add_indicator(action, user=None, system=True, **values)


def test_progress_is_the_share_of_the_way_clamped():
    up = Indicator(baseline=Decimal(1), target=Decimal(2), direction=Direction.UP)
    assert [up.progress_for(Decimal(v)) for v in ("1", "1.5", "2", "3", "0.5")] == [0, 50, 100, 100, 0]
    down = Indicator(baseline=Decimal(40), target=Decimal(20), direction=Direction.DOWN)
    assert [down.progress_for(Decimal(v)) for v in ("40", "35", "20", "50")] == [0, 25, 100, 0]


def test_the_target_must_lie_in_the_indicator_direction(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(
            action=world.action_a,
            name="x",
            unit="u",
            baseline=5,
            target=3,
            direction="up",
            baseline_date=datetime.date(2020, 1, 1),
            target_date=datetime.date(2021, 1, 1),
        )


def test_valenza_trees_per_newborn_derive_the_action_progress(valenza_path):
    call_command("import_program", str(valenza_path), verbosity=0)
    action = Action.objects.get(text__startswith="Raddoppiare il progetto")
    action.progress_from_indicators = True
    action.save()
    trees = indicator(action)
    add_measurement(trees, user=None, system=True, date=datetime.date(2022, 12, 31), value=Decimal("1.4"))
    action.refresh_from_db()
    assert (action.progress, action.status) == (40, "in_progress")
    add_measurement(trees, user=None, system=True, date=datetime.date(2024, 12, 31), value=Decimal("2.2"))
    action.refresh_from_db()
    # At target the indicator shows 100 %, but the action waits at 99 % "In corso" until someone declares it
    # "Realizzata" with a source (100 % is only ever "Realizzata").
    assert (action.progress, action.status) == (99, "in_progress")
    # Measurements and derived updates are all in the ledger.
    assert LedgerEntry.objects.filter(measurement__isnull=False).count() == 2
    assert LedgerEntry.objects.filter(update__from_indicators=True).count() == 2
    page = Client().get(f"/valenza/actions/{action.pk}/").content.decode()
    assert "Alberi per nato" in page and "100% della strada verso il target" in page


def test_several_indicators_are_averaged(world):
    action = world.action_a
    action.progress_from_indicators = True
    action.save()
    first = indicator(action, baseline=Decimal(0), target=Decimal(100))
    second = indicator(action, name="Scuole", baseline=Decimal(10), target=Decimal(0), direction="down")
    add_measurement(first, user=None, system=True, date=datetime.date(2023, 1, 1), value=Decimal(80))
    add_measurement(second, user=None, system=True, date=datetime.date(2023, 1, 1), value=Decimal(8))
    action.refresh_from_db()
    assert action.progress == 50  # mean of 80 and 20


def test_without_derivation_measurements_leave_progress_alone(world):
    trees = indicator(world.action_a, baseline=Decimal(0), target=Decimal(10))
    add_measurement(trees, user=None, system=True, date=datetime.date(2023, 1, 1), value=Decimal(5))
    world.action_a.refresh_from_db()
    assert world.action_a.progress == 0
