"""Abuse limits per user and per address on comments, supports, proposals and contests, counted in the
shared cache (a real Redis when it runs, as in production); a honeypot field stops simple bots."""

import uuid

import pytest
import redis
from django.test import Client

from openmandato.participation.models import Comment, Contest, Proposal, Support

pytestmark = pytest.mark.django_db
REDIS_URL = "redis://127.0.0.1:6379/12"


@pytest.fixture
def shared_cache(settings):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"om_participation:{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "openmandato.cache.SharedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def logged(user, ip="198.51.100.1"):
    client = Client(REMOTE_ADDR=ip)
    client.force_login(user)
    return client


def comment(client, world, body="Ciao", **extra):
    return client.post(
        f"/{world.municipality.slug}/actions/{world.action_a.pk}/commenti/", {"body": body, **extra}
    )


def test_comments_are_limited_per_user(citizens, settings, shared_cache):
    settings.PARTICIPATION_RATE_USER = "comment=3/h"
    settings.PARTICIPATION_RATE_IP = "comment=100/h"
    codes = [
        comment(logged(citizens.users["citizen"], f"198.51.100.{i}"), citizens).status_code for i in range(5)
    ]
    assert codes == [302, 302, 302, 429, 429]
    response = comment(logged(citizens.users["citizen"]), citizens)
    assert "troppe operazioni" in response.content.decode()
    assert Comment.objects.count() == 3
    assert comment(logged(citizens.users["citizen2"]), citizens).status_code == 302  # another person


def test_comments_are_limited_per_address(citizens, settings, shared_cache):
    settings.PARTICIPATION_RATE_USER = "comment=100/h"
    settings.PARTICIPATION_RATE_IP = "comment=2/h"
    first = comment(logged(citizens.users["citizen"], "203.0.113.9"), citizens).status_code
    second = comment(logged(citizens.users["citizen2"], "203.0.113.9"), citizens).status_code
    third = comment(logged(citizens.users["moderator"], "203.0.113.9"), citizens).status_code
    assert (first, second, third) == (302, 302, 429)
    assert comment(logged(citizens.users["moderator"], "203.0.113.10"), citizens).status_code == 302


def test_supports_proposals_and_contests_have_their_limits(citizens, update, settings, shared_cache):
    settings.PARTICIPATION_RATE_USER = "support=1/h,proposal=1/d,contest=1/d"
    client = logged(citizens.users["citizen"])
    slug = citizens.municipality.slug
    assert client.post(f"/{slug}/actions/{citizens.action_a.pk}/sostegno/").status_code == 302
    assert client.post(f"/{slug}/actions/{citizens.action_b.pk}/sostegno/").status_code == 429
    assert Support.objects.count() == 1
    proposal = {"kind": "new_action", "title": "Uno", "body": "Testo"}
    assert client.post(f"/{slug}/proposte/nuova/", proposal).status_code == 302
    assert client.post(f"/{slug}/proposte/nuova/", proposal).status_code == 429
    assert Proposal.objects.count() == 1
    claim = {"claim": "status", "reason": "Non è vero"}
    assert client.post(f"/{slug}/aggiornamenti/{update.pk}/segnala/", claim).status_code == 302
    assert client.post(f"/{slug}/aggiornamenti/{update.pk}/segnala/", claim).status_code == 429
    assert Contest.objects.count() == 1


def test_the_honeypot_field_writes_nothing(citizens, update):
    client = logged(citizens.users["citizen"])
    slug = citizens.municipality.slug
    assert comment(client, citizens, website="http://spam.example").status_code == 302
    client.post(f"/{slug}/proposte/nuova/", {"kind": "new_action", "title": "S", "body": "S", "website": "x"})
    client.post(
        f"/{slug}/aggiornamenti/{update.pk}/segnala/", {"claim": "status", "reason": "S", "website": "x"}
    )
    assert not Comment.objects.exists() and not Proposal.objects.exists() and not Contest.objects.exists()
    html = Client().get(citizens.action_a.get_absolute_url()).content.decode()
    assert 'name="website"' not in html  # only signed-in visitors get the forms
    html = client.get(citizens.action_a.get_absolute_url()).content.decode()
    assert 'class="hp-field" aria-hidden="true"' in html and 'name="website"' in html
