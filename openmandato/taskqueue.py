"""Background work through Django's task interface (django-tasks, the backport of `django.tasks`).

`background_task` is `@task()` plus retries: a run that raises is recorded as failed (visible to staff
in the admin's task results) and, up to TASK_MAX_ATTEMPTS, run again after TASK_RETRY_SECONDS doubled
at each attempt. `enqueue_in_transaction` makes the task part of the caller's transaction, so a
worker never picks up work about rows it cannot see yet (or that were rolled back).

The worker is `openmandato db_worker` (started by `make run`; in production run one or more per
machine: the PostgreSQL queue hands each task to one worker with SELECT ... FOR UPDATE SKIP LOCKED).
When the code moves to Django 6, `django_tasks` becomes `django.tasks` and nothing else changes.
"""

import datetime
import functools
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend

log = logging.getLogger(__name__)


def background_task(func=None, *, priority: int = 0, queue_name: str = "default"):
    """Decorate a module-level function as a task that is retried with exponential backoff."""

    def decorate(function):
        @functools.wraps(function)
        def run(*args, _attempt: int = 1, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception:
                schedule_retry(the_task, _attempt, args, kwargs)
                raise

        the_task = task(priority=priority, queue_name=queue_name)(run)
        return the_task

    return decorate(func) if func is not None else decorate


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long to wait before attempt number `attempt + 1`."""
    return datetime.timedelta(seconds=settings.TASK_RETRY_SECONDS * 2 ** (attempt - 1))


def schedule_retry(the_task, attempt: int, args, kwargs) -> bool:
    if attempt >= settings.TASK_MAX_ATTEMPTS:
        log.error("Task %s failed for the last time (attempt %d)", the_task.module_path, attempt)
        return False
    if not the_task.get_backend().supports_defer:
        return False  # the immediate backend (tests, DEBUG) cannot run later: the failure stays visible
    later = the_task.using(run_after=timezone.now() + retry_delay(attempt))
    later.enqueue(*args, _attempt=attempt + 1, **kwargs)
    return True


def enqueue_in_transaction(the_task, *args, **kwargs) -> None:
    """Enqueue `the_task(*args, **kwargs)` as part of the caller's transaction.

    The database queue stores the task in that same transaction: a rollback drops it with the rest, and
    a worker sees it only once the data it is about has been committed. A queue outside the database
    is given the task only after the commit; the immediate backend (tests) runs it at once.
    """
    backend = the_task.get_backend()
    if isinstance(backend, DatabaseBackend | ImmediateBackend):
        the_task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: the_task.enqueue(*args, **kwargs))
