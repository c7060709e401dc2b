""" "Le mie azioni" filters by comune, area, section, status and "not updated since", is paginated and
runs a fixed number of queries whatever the number of actions."""

import datetime
import html
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from openmandato.accountability.services import record_progress
from openmandato.core.models import Membership
from openmandato.programs.models import Action
from openmandato.tests.factory import make_section
from openmandato.tests.fixtures import PAST


def listed(client, **params) -> list[str]:
    body = html.unescape(client.get("/backoffice/", params).content.decode())
    return re.findall(r'/backoffice/actions/\d+/update/">(?:[^<·]+ · )?([^<]+)</a>', body)


def admin_client(world):
    client = Client()
    client.force_login(world.users["admin"])
    return client


def test_filters_by_area_section_and_status(world):
    client = admin_client(world)
    second = make_section(world.mandate, "Cultura", position=1)
    Action.objects.create(section=second, title="Riaprire la biblioteca", position=0)
    record_progress(world.action_a, user=world.users["admin"], status="in_progress", progress=20, date=PAST)
    assert sorted(listed(client)) == ["Aprire il teatro", "Piantare alberi", "Riaprire la biblioteca"]
    assert listed(client, area=world.area_b.pk) == ["Aprire il teatro"]
    assert listed(client, section=second.pk) == ["Riaprire la biblioteca"]
    assert listed(client, status="in_progress") == ["Piantare alberi"]
    assert sorted(listed(client, status="not_started")) == ["Aprire il teatro", "Riaprire la biblioteca"]


def test_filters_by_not_updated_since(world):
    client = admin_client(world)
    record_progress(world.action_a, user=world.users["admin"], status="in_progress", progress=20, date=PAST)
    since = (PAST + datetime.timedelta(days=1)).isoformat()
    assert listed(client, since=since) == ["Piantare alberi", "Aprire il teatro"]
    assert listed(client, since=PAST.isoformat()) == ["Aprire il teatro"]


def test_filters_by_comune_for_staff_of_several(world):
    Membership.objects.create(
        user=world.users["admin"], municipality=world.other_municipality, role="administrator"
    )
    other_section = make_section(world.other_municipality.mandates.get(), "Sezione lontana")
    Action.objects.create(section=other_section, title="Azione di Altrove")
    client = admin_client(world)
    assert "Azione di Altrove" in listed(client)
    assert listed(client, municipality=world.other_municipality.pk) == ["Azione di Altrove"]
    # Areas and sections are offered for the chosen comune only.
    body = client.get("/backoffice/", {"municipality": world.municipality.pk}).content.decode()
    assert "Area ambiente" in body and "Sezione lontana" not in body


def test_bad_filter_values_answer_the_page_not_a_500(world):
    client = admin_client(world)
    response = client.get("/backoffice/", {"since": "ieri", "area": "x", "municipality": "999999"})
    assert response.status_code == 200
    assert response.content.decode().count('role="alert"') == 2  # the date and the comune are named


def test_the_list_is_paginated_with_a_fixed_number_of_queries(world):
    client = admin_client(world)
    counts = []
    for extra in (0, 120):
        for index in range(extra):
            Action.objects.create(
                section=world.action_a.section, title=f"Azione {index}", position=10 + index
            )
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/backoffice/", {"municipality": world.municipality.pk}).content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert "Pagina 1 di 3" in body
