"""An act is cited by kind, number and date; the link (albo pretorio links expire after 15 days) and an
uploaded copy are optional extras."""

import html

from django.test import Client

from openmandato.accountability.models import Evidence, ProgressUpdate
from openmandato.api.models import ApiToken
from openmandato.tests.fixtures import PAST


def post(world, **fields):
    client = Client()
    client.force_login(world.users["admin"])
    data = {"date": PAST.isoformat(), "status": "done", "progress": "100"} | fields
    return client.post(f"/backoffice/actions/{world.action_a.pk}/update/", data)


def test_kind_number_and_date_alone_are_a_valid_source(world):
    response = post(world, act_kind="delibera_giunta", act_number="42/2023", act_date=PAST.isoformat())
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.act_number, evidence.url) == ("42/2023", "")
    public = Client().get(f"/borgo/actions/{world.action_a.pk}/").content.decode()
    assert "Delibera di Giunta n. 42/2023 del 10/05/2023" in public


def test_a_link_without_kind_number_and_date_is_refused_with_one_line(world):
    response = post(world, act_url="https://albo.example.org/42")
    assert response.status_code == 200
    assert "Per citare un atto servono tipo, numero e data" in html.unescape(response.content.decode())
    assert ProgressUpdate.objects.count() == 0


def test_the_api_accepts_an_act_without_a_link(world):
    _token, secret = ApiToken.issue(world.users["admin"], "test")
    act = {"act_kind": "determina", "act_number": "7", "act_date": PAST.isoformat()}
    response = Client().post(
        f"/api/v1/actions/{world.action_a.pk}/updates",
        {"date": PAST.isoformat(), "status": "done", "progress": 100, "acts": [act]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201, response.content
    assert Evidence.objects.get().url == ""
