"""Two staff members writing at the same moment, over two real PostgreSQL connections."""

import threading

import pytest
from django.db import connection, connections

from openmandato.accountability import ledger
from openmandato.accountability.models import ProgressUpdate
from openmandato.accountability.services import StaleUpdate, record_progress
from openmandato.tests.fixtures import PAST

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - the test inspects what each writer got
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are tested on PostgreSQL (SQLite serialises every writer)")


def test_two_editors_of_one_action_never_silently_overwrite_each_other(world):
    def writer(user, progress):
        return lambda: record_progress(
            world.action_a, user=user, status="in_progress", progress=progress, date=PAST, based_on=None
        )

    results = run_together(writer(world.users["admin"], 30), writer(world.users["manager_a"], 70))
    saved = [r for r in results if isinstance(r, ProgressUpdate)]
    stale = [r for r in results if isinstance(r, StaleUpdate)]
    assert len(saved) == 1 and len(stale) == 1, results
    assert "rileggi e riprova" in stale[0].messages[0]
    world.action_a.refresh_from_db()
    assert world.action_a.progress == saved[0].progress
    assert ledger.verify(world.mandate).ok


def test_simultaneous_updates_are_all_kept_and_chained(world):
    def writer(action, progress):
        return lambda: record_progress(
            action, user=world.users["admin"], status="in_progress", progress=progress, date=PAST
        )

    results = run_together(writer(world.action_a, 10), writer(world.action_a, 20), writer(world.action_b, 30))
    assert all(isinstance(r, ProgressUpdate) for r in results), results
    assert ProgressUpdate.objects.count() == 3
    check = ledger.verify(world.mandate)
    assert check.ok and check.count == 3
