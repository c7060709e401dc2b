"""'Mi sta a cuore': once per citizen per action, the count on the action page and in lists (sortable),
and its growth month by month."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from openmandato.participation.models import Support

pytestmark = pytest.mark.django_db


def support(client, world, action=None, **data):
    action = action or world.action_a
    return client.post(f"/{world.municipality.slug}/actions/{action.pk}/sostegno/", data)


def test_once_per_citizen_per_action(citizens):
    client = Client()
    client.force_login(citizens.users["citizen"])
    assert support(client, citizens).status_code == 302
    support(client, citizens)
    assert Support.objects.filter(action=citizens.action_a).count() == 1
    html = Client().get(citizens.action_a.get_absolute_url()).content.decode()
    assert "1 persona ha a cuore questa azione" in html
    support(client, citizens, withdraw="1")
    assert not Support.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(citizens):
    response = support(Client(), citizens)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Support.objects.exists()


def test_the_list_sorts_by_supports(citizens):
    for name in ("citizen", "citizen2"):
        client = Client()
        client.force_login(citizens.users[name])
        support(client, citizens, citizens.action_b)
    html = Client().get(f"/{citizens.municipality.slug}/actions/?sort=-supports").content.decode()
    assert html.index("Aprire il teatro") < html.index("Piantare alberi")
    assert "a cuore a 2 persone" in html
    html = Client().get(f"/{citizens.municipality.slug}/actions/?sort=code").content.decode()
    assert html.index("Piantare alberi") < html.index("Aprire il teatro")


def test_the_action_page_shows_growth_by_month(citizens):
    now = timezone.now()
    Support.objects.create(
        action=citizens.action_a, user=citizens.users["citizen"], created_at=now - datetime.timedelta(days=65)
    )
    Support.objects.create(action=citizens.action_a, user=citizens.users["citizen2"], created_at=now)
    html = Client().get(citizens.action_a.get_absolute_url()).content.decode()
    assert "Crescita dei sostegni nel tempo" in html
    first = (now - datetime.timedelta(days=65)).astimezone().strftime("%m/%Y")
    assert f"<td>{first}</td><td>1</td><td>1</td>" in html
    assert f"<td>{now.astimezone().strftime('%m/%Y')}</td><td>1</td><td>2</td>" in html
