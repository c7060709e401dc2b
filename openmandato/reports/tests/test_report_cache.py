"""report.pdf is generated once per (mandate, as-of day, language, ledger head) and anonymous visitors
cannot make the server print report after report."""

import datetime
import time

import pytest
from django.core.cache import cache
from django.test import Client

from openmandato.accountability.services import record_progress
from openmandato.programs.models import Mandate
from openmandato.tests.fixtures import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def timed_get(client, url, **params):
    start = time.monotonic()
    response = client.get(url, params)
    return response, time.monotonic() - start


def test_a_repeat_request_is_served_from_the_cache_until_the_ledger_moves(demo, settings):
    settings.REPORT_RATE = "100/m"
    client = Client()
    first, first_time = timed_get(client, "/valenza/report.pdf")
    again, again_time = timed_get(client, "/valenza/report.pdf")
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again_time < first_time / 3
    future = (datetime.date.today() + datetime.timedelta(days=400)).isoformat()
    assert client.get("/valenza/report.pdf", {"as_of": future}).content == first.content  # same day: today
    mandate = Mandate.objects.get(municipality__slug="valenza")
    action = mandate.actions.active().leaves().first()
    record_progress(
        action, user=None, system=True, status="in_progress", progress=55, date=datetime.date.today()
    )
    moved = client.get("/valenza/report.pdf")
    assert moved.status_code == 200 and moved.content != first.content


def test_anonymous_visitors_are_limited_to_a_few_new_reports(demo, settings):
    settings.REPORT_RATE = "2/d"
    client = Client()
    days = ["2021-01-31", "2021-02-28", "2021-03-31"]
    codes = [client.get("/valenza/report.pdf", {"as_of": day}).status_code for day in days]
    assert codes == [200, 200, 429]
    limited = client.get("/valenza/report.pdf", {"as_of": days[2]})
    assert int(limited["Retry-After"]) > 0 and "Troppe relazioni" in limited.content.decode()
    assert client.get("/valenza/report.pdf", {"as_of": days[0]}).status_code == 200  # cached: free
    staff = Client()
    staff.force_login(make_user("report-reader"))
    assert staff.get("/valenza/report.pdf", {"as_of": days[2]}).status_code == 200


def test_a_printed_report_is_served_from_the_shared_page_cache_until_a_write_or_the_next_day(
    demo, settings, monkeypatch, django_assert_num_queries
):
    """Once printed, the report is a page like the others for anonymous visitors: one query (the change
    marker) per visit; a write or a new day (the report says "as of today") makes a new one; and the
    page that says "being prepared" carries no validator, so a revisit is never told 304 for it."""
    from django.utils import timezone

    from openmandato.portal import caching

    settings.PAGE_CACHE_SECONDS = 600
    settings.REPORT_RATE = "100/m"
    client = Client()
    first = client.get("/valenza/report.pdf")
    assert first.status_code == 200 and first["ETag"] and "Last-Modified" not in first
    with django_assert_num_queries(1):
        again = client.get("/valenza/report.pdf")
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert client.get("/valenza/report.pdf", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(caching.timezone, "localdate", lambda: tomorrow)
    next_day = client.get("/valenza/report.pdf", HTTP_IF_NONE_MATCH=first["ETag"])
    assert next_day.status_code == 200 and next_day["ETag"] != first["ETag"]
    monkeypatch.undo()

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # nobody prints
    mandate = Mandate.objects.get(municipality__slug="valenza")
    record_progress(
        mandate.actions.active().leaves().first(),
        user=None,
        system=True,
        status="in_progress",
        progress=56,
        date=datetime.date.today(),
    )
    waiting = client.get("/valenza/report.pdf", HTTP_IF_NONE_MATCH=first["ETag"])
    assert waiting.status_code == 202 and "ETag" not in waiting and "Last-Modified" not in waiting
    assert client.get("/valenza/report.pdf").status_code == 202  # not stored: asked again, still waiting
