"""Atom feeds date each entry by the update's own date; corrections carry `updated`."""

import datetime
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own feed in a test

import pytest
from django.utils import timezone

from openmandato.accountability.services import record_progress
from openmandato.programs.models import Action

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url):
    feed = ET.fromstring(client.get(url).content)  # noqa: S314
    return [
        {
            "title": entry.find(f"{ATOM}title").text,
            "published": entry.find(f"{ATOM}published").text,
            "updated": entry.find(f"{ATOM}updated").text,
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_an_old_update_entered_today_is_published_on_its_own_date(client, programs):
    first, second = Action.objects.filter(mandate__municipality__slug="valenza").order_by("pk")[:2]
    record_progress(
        first, user=None, system=True, status="in_progress", progress=10, date=datetime.date(2023, 5, 2)
    )
    # Entered afterwards, but dated earlier: it must come after the 2023 one, dated 2022.
    record_progress(
        second, user=None, system=True, status="in_progress", progress=20, date=datetime.date(2022, 7, 16)
    )
    for url in ["/valenza/feed.atom"]:
        found = entries(client, url)
        assert [e["published"][:10] for e in found] == ["2023-05-02", "2022-07-16"]
        assert [e["updated"][:10] for e in found] == ["2023-05-02", "2022-07-16"]
    single = entries(client, f"/valenza/actions/{second.pk}/feed.atom")
    assert single[0]["published"].startswith("2022-07-16")


def test_a_correction_is_published_on_its_date_and_updated_when_recorded(client, programs):
    action = Action.objects.filter(mandate__municipality__slug="valenza").order_by("pk").first()
    wrong = record_progress(
        action, user=None, system=True, status="in_progress", progress=80, date=datetime.date(2022, 7, 16)
    )
    record_progress(
        action,
        user=None,
        system=True,
        status="in_progress",
        progress=8,
        date=datetime.date(2022, 7, 16),
        corrects=wrong,
        note="Era 8%, non 80%",
    )
    found = entries(client, f"/valenza/actions/{action.pk}/feed.atom")
    correction = next(e for e in found if "8%" in e["title"] and "80%" not in e["title"])
    assert correction["published"].startswith("2022-07-16")
    recorded = datetime.datetime.fromisoformat(correction["updated"])
    assert abs((timezone.now() - recorded).total_seconds()) < 120
