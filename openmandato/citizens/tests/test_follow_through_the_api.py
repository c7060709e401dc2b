"""Follow and unfollow through the API with the user's own token, created in the personal area."""

import re

import pytest

from openmandato.citizens.models import Follow
from openmandato.tests.citizens import make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(client, world):
    user = make_citizen("ivo")
    client.force_login(user)
    client.post("/area-personale/token/")
    page = client.get("/area-personale/").content.decode()
    secret = re.search(r"<code class=\"hash\">(om_[^<]+)</code>", page).group(1)
    assert secret not in client.get("/area-personale/").content.decode()  # shown once
    client.logout()
    return user, {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_it_follows_lists_and_unfollows(client, world, token):
    user, auth = token
    url = f"/api/v1/follows/action/{world.action_a.pk}"
    first = client.put(url, **auth)
    assert first.status_code == 201
    assert first.json()["url"] == f"/{world.municipality.slug}/actions/{world.action_a.pk}/"
    assert client.put(url, **auth).status_code == 200
    assert Follow.objects.filter(user=user).count() == 1
    listed = client.get("/api/v1/follows", **auth).json()
    assert [(row["kind"], row["id"]) for row in listed] == [("action", world.action_a.pk)]
    assert client.delete(url, **auth).status_code == 204
    assert not Follow.objects.exists()


def test_it_needs_a_token_and_answers_json_errors(client, world, token):
    _user, auth = token
    assert client.put(f"/api/v1/follows/action/{world.action_a.pk}").status_code == 401
    bad = client.put(f"/api/v1/follows/action/{world.action_a.pk}", HTTP_AUTHORIZATION="Bearer om_nope")
    assert bad.status_code == 401
    missing = client.put("/api/v1/follows/action/987654", **auth)
    assert missing.status_code == 404 and missing.json() == {"detail": "not found"}
    assert client.put("/api/v1/follows/user/1", **auth).status_code == 404
    assert not Follow.objects.exists()
