"""Which update is current, what is open and how progress rolls up: one rule, the same on every surface."""

import datetime

import pytest
from django.test import Client

from openmandato.accountability.models import ProgressUpdate
from openmandato.accountability.services import EvidenceInput, current_update, record_progress
from openmandato.accountability.tree import program_tree
from openmandato.portal.templatetags.portal import percent
from openmandato.programs.models import Action
from openmandato.programs.status import Status
from openmandato.reports.state import mandate_state

pytestmark = pytest.mark.django_db

ACT = EvidenceInput(
    kind="act", act_kind="delibera_giunta", act_number="12", act_date=datetime.date(2022, 1, 5)
)


def update(world, action, day, status, progress, **extra):
    evidence = [ACT] if status in (Status.DONE, Status.PARTIALLY_DONE) else []
    return record_progress(
        action,
        user=world.users["admin"],
        status=status,
        progress=progress,
        date=day,
        evidence=evidence,
        **extra,
    )


def test_a_correction_replaces_its_update_only_from_its_own_date(world):
    first = update(world, world.action_a, datetime.date(2022, 3, 1), Status.IN_PROGRESS, 40)
    correction = update(
        world, world.action_a, datetime.date(2022, 9, 1), Status.IN_PROGRESS, 20, corrects=first
    )
    assert current_update(world.action_a) == correction
    assert list(world.action_a.updates.current(datetime.date(2022, 6, 30))) == [first]
    assert list(world.action_a.updates.current(datetime.date(2022, 2, 1))) == []
    # The report as of June prints the corrected figure the portal showed then.
    early = mandate_state(world.mandate, datetime.date(2022, 6, 30))
    row = next(row for row in early.sections[0].actions if row.action.pk == world.action_a.pk)
    assert (row.action.progress, row.current) == (40, first)


def test_the_latest_of_two_updates_on_one_day_is_current(world):
    update(world, world.action_b, datetime.date(2022, 3, 1), Status.IN_PROGRESS, 10)
    later = update(world, world.action_b, datetime.date(2022, 3, 1), Status.STALLED, 10)
    assert ProgressUpdate.objects.filter(action=world.action_b).current().get() == later
    assert Action.objects.get(pk=world.action_b.pk).status == Status.STALLED


def test_an_abandoned_action_counts_zero_in_portal_report_and_sql(world):
    update(world, world.action_a, datetime.date(2022, 3, 1), Status.IN_PROGRESS, 80)
    update(world, world.action_b, datetime.date(2022, 3, 1), Status.IN_PROGRESS, 60)
    update(world, world.action_b, datetime.date(2022, 4, 1), Status.ABANDONED, 60)
    tree = program_tree(world.mandate)
    report = mandate_state(world.mandate)
    assert tree.progress == pytest.approx(40.0)  # (80 + 0) / 2
    assert report.progress == pytest.approx(tree.progress)
    assert report.sections[0].progress == pytest.approx(tree.roots[0].progress)
    page = Client().get(f"/{world.municipality.slug}/").content.decode()
    assert percent(tree.progress) in page


def test_finished_actions_are_never_overdue_and_open_ones_are(world):
    past = datetime.date(2022, 1, 1)
    Action.objects.filter(pk__in=[world.action_a.pk, world.action_b.pk]).update(due_date=past)
    update(world, world.action_b, datetime.date(2022, 3, 1), Status.DONE, 100)
    assert list(Action.objects.overdue()) == [world.action_a]
    assert {Status.NOT_STARTED, Status.IN_PROGRESS, Status.PARTIALLY_DONE, Status.STALLED} == Status.OPEN
    listing = Client().get(f"/{world.municipality.slug}/actions/", {"overdue": "1"}).content.decode()
    assert "Piantare alberi" in listing and "Aprire il teatro" not in listing
