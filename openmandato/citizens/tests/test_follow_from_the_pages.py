"""One click on an action, section, area or comune page follows it; one more unfollows it."""

import pytest

from openmandato.citizens.models import Follow
from openmandato.tests.citizens import make_citizen
from openmandato.tests.fixtures import make_mandate, make_municipality, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(world):
    return make_citizen("dario")


def pages(world):
    slug = world.municipality.slug
    return {
        "action": (f"/{slug}/actions/{world.action_a.pk}/", world.action_a),
        "section": (f"/{slug}/sections/{world.action_a.section_id}/", world.action_a.section),
        "area": (f"/{slug}/areas/{world.area_a.pk}/", world.area_a),
        "municipality": (f"/{slug}/", world.municipality),
    }


@pytest.mark.parametrize("kind", ["action", "section", "area", "municipality"])
def test_it_follows_and_unfollows_from_the_page(client, world, citizen, kind):
    url, target = pages(world)[kind]
    client.force_login(citizen)
    page = client.get(url).content.decode()
    assert f'action="/area-personale/follow/{kind}/{target.pk}/"' in page
    assert 'data-follow="off"' in page

    response = client.post(f"/area-personale/follow/{kind}/{target.pk}/", {"follow": "1", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert Follow.objects.filter(user=citizen, **{kind: target}).count() == 1
    # A double click changes nothing.
    client.post(f"/area-personale/follow/{kind}/{target.pk}/", {"follow": "1", "next": url})
    assert Follow.objects.filter(user=citizen).count() == 1
    page = client.get(url).content.decode()
    assert 'data-follow="on"' in page and "Non seguire più" in page

    client.post(f"/area-personale/follow/{kind}/{target.pk}/", {"follow": "0", "next": url})
    assert not Follow.objects.filter(user=citizen).exists()


def test_a_cached_page_changes_after_a_follow(client, world, citizen):
    url = f"/{world.municipality.slug}/actions/{world.action_a.pk}/"
    client.force_login(citizen)
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    client.post(f"/area-personale/follow/action/{world.action_a.pk}/", {"follow": "1"})
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert 'data-follow="on"' in again.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    url = f"/{world.municipality.slug}/actions/{world.action_a.pk}/"
    page = client.get(url).content.decode()
    assert "/area-personale/login/?next=" in page
    response = client.post(f"/area-personale/follow/action/{world.action_a.pk}/", {"next": url})
    assert response.status_code == 302 and response["Location"].startswith("/area-personale/login/")
    assert not Follow.objects.exists()


def test_drafts_unknown_kinds_and_odd_ids_cannot_be_followed(client, world, citizen):
    draft_comune = make_municipality("Bozzolo")
    draft = make_mandate(draft_comune)
    draft.is_published = False
    draft.save()
    section = make_section(draft, "Segreta")
    client.force_login(citizen)
    for url in [
        f"/area-personale/follow/section/{section.pk}/",
        f"/area-personale/follow/municipality/{draft_comune.pk}/",
        f"/area-personale/follow/user/{citizen.pk}/",
        "/area-personale/follow/action/99999999999999999999/",
    ]:
        assert client.post(url, {"follow": "1"}).status_code in (400, 404), url
    assert not Follow.objects.exists()


def test_it_never_redirects_elsewhere(client, world, citizen):
    client.force_login(citizen)
    response = client.post(
        f"/area-personale/follow/action/{world.action_a.pk}/",
        {"follow": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/area-personale/"


def test_the_profile_lists_what_is_followed_and_unfollows_it(client, world, citizen):
    client.force_login(citizen)
    client.post(f"/area-personale/follow/area/{world.area_a.pk}/", {"follow": "1"})
    page = client.get("/area-personale/").content.decode()
    assert "Area ambiente" in page
    client.post(
        f"/area-personale/follow/area/{world.area_a.pk}/", {"follow": "0", "next": "/area-personale/"}
    )
    page = client.get("/area-personale/").content.decode()
    assert "Non segui più «Area ambiente»" in page  # the message
    assert "Non segui ancora nulla" in page
