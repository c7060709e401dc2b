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
