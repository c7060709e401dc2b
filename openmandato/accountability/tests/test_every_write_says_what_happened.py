"""Every back-office write ends on a page with a message saying what happened."""

import html

import pytest
from django.test import Client

from openmandato.tests.fixtures import PAST


@pytest.fixture
def client(world):
    client = Client()
    client.force_login(world.users["admin"])
    return client


def message_texts(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_an_update_a_measurement_and_their_refusals_each_show_a_message(world, indicator, client):
    url = f"/backoffice/actions/{world.action_a.pk}/update/"
    response = client.post(
        url, {"date": PAST.isoformat(), "status": "in_progress", "progress": "5"}, follow=True
    )
    assert message_texts(response) == ["Aggiornamento registrato."]
    measurement = f"/backoffice/indicators/{indicator.pk}/measurements/"
    response = client.post(measurement, {"date": PAST.isoformat(), "value": "12"}, follow=True)
    assert message_texts(response) == ["Misurazione registrata."]
    assert 'role="status"' in response.content.decode()
    response = client.post(measurement, {"date": "domani", "value": "12"}, follow=True)
    assert message_texts(response) == ["Misurazione non valida: controlla data e valore."]
    assert 'role="alert"' in html.unescape(response.content.decode())
