"""A report not yet cached is printed by the worker process, once however many ask (issue 12, 3)."""

import pytest
from django.core.cache import cache
from django.test import Client
from django_tasks_db.models import DBTaskResult

from openmandato.env import cache_from_environment


@pytest.fixture
def shared_cache(settings):
    """The cache configured from the environment, as the worker process configures it (without Redis:
    the database table, which the worker reaches in the test database)."""
    settings.CACHES = {"default": cache_from_environment(settings.VAR_DIR)}
    cache.clear()


def test_the_worker_prints_the_report_while_visitors_get_a_page_that_waits(
    world, shared_cache, task_worker, settings
):
    settings.REPORT_RATE = "1/d"  # asking again while it is being printed costs nothing
    url = f"/{world.municipality.slug}/report.pdf"
    visitor = Client()

    waiting = visitor.get(url)
    assert waiting.status_code == 202 and waiting["X-Pending"] == "1" and waiting["Retry-After"] == "5"
    assert "Stiamo preparando la relazione" in waiting.content.decode()
    assert [visitor.get(url).status_code, Client().head(url).status_code] == [202, 202]
    assert DBTaskResult.objects.count() == 1  # one generation for all of them

    task_worker().drain(timeout=60)
    ready = visitor.get(url)
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    assert ready.content.startswith(b"%PDF") and "X-Pending" not in ready
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
