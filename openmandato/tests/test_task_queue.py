"""Background work runs in a real worker process, is retried with backoff, and waits for the commit."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from openmandato.taskqueue import enqueue_in_transaction
from openmandato.tests.tasks_for_tests import fail_until, write_marker


def test_a_real_worker_process_runs_an_enqueued_task(task_worker, tmp_path):
    marker = tmp_path / "marker.txt"
    result = write_marker.enqueue(str(marker), "fatto")
    worker = task_worker()
    worker.drain()
    assert marker.read_text() == "fatto"
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
    assert worker.process.pid != __import__("os").getpid()


def test_a_failing_task_is_retried_with_growing_delays_until_it_succeeds(task_worker, settings, tmp_path):
    settings.TASK_RETRY_SECONDS = 1
    counter = tmp_path / "runs.txt"
    fail_until.enqueue(str(counter), 3)
    task_worker().drain(timeout=30)

    runs = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [run.status for run in runs] == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert "attempt 1 fails on purpose" in runs[0].traceback
    # each retry is due later than the previous run failed: 1 s, then 2 s
    assert (runs[1].run_after - runs[0].finished_at).total_seconds() >= 0.9
    assert (runs[2].run_after - runs[1].finished_at).total_seconds() >= 1.9


def test_a_task_that_always_fails_gives_up_after_the_last_attempt_and_stays_visible(
    task_worker, settings, tmp_path
):
    settings.TASK_RETRY_SECONDS = 0
    settings.TASK_MAX_ATTEMPTS = 3
    counter = tmp_path / "runs.txt"
    fail_until.enqueue(str(counter), 99)
    task_worker().drain()
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"] * 3
    assert len(counter.read_text().splitlines()) == 3


@pytest.mark.django_db(transaction=True)
def test_work_enqueued_in_a_transaction_that_rolls_back_is_dropped_with_it(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_in_transaction(write_marker, str(tmp_path / "never.txt"), "no")
        raise RuntimeError("rolled back")
    assert not DBTaskResult.objects.exists()

    with transaction.atomic():
        enqueue_in_transaction(write_marker, str(tmp_path / "yes.txt"), "yes")
    assert DBTaskResult.objects.get().status == "READY"
