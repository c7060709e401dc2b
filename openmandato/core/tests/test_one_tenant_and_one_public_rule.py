"""The tenant is resolved once per request, and "public" has one definition that every surface shares."""

import pytest
from django.test import Client

from openmandato.accountability.models import ProgressUpdate
from openmandato.accountability.services import record_progress
from openmandato.programs.models import Action, Mandate, Municipality
from openmandato.tests.fixtures import PAST

pytestmark = pytest.mark.django_db


def client_for(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def test_visible_to_shows_a_draft_only_to_its_staff(world):
    Mandate.objects.filter(pk=world.mandate.pk).update(is_published=False)
    draft = Mandate.objects.filter(pk=world.mandate.pk)
    for role, sees in [("citizen", False), ("other_admin", False), ("manager_a", True), ("admin", True)]:
        user = world.users[role]
        assert draft.visible_to(user).exists() is sees, role
        assert Municipality.objects.visible_to(user).filter(pk=world.municipality.pk).exists() is sees, role
        assert Mandate.objects.get(pk=world.mandate.pk).is_visible_to(user) is sees, role
    assert not draft.public().exists()
    assert not Action.objects.public().filter(mandate=world.mandate).exists()


def test_every_page_of_a_comune_carries_its_tenant(world):
    slug = world.municipality.slug
    for url in [f"/{slug}/", f"/{slug}/actions/", f"/{slug}/dati-aperti/", f"/{slug}/privacy/"]:
        response = Client().get(url)
        assert response.status_code == 200, url
        assert response.wsgi_request.municipality == world.municipality, url
        assert response.wsgi_request.mandate == world.mandate, url
        assert response.context["municipality"] == world.municipality, url


def test_an_unknown_or_draft_comune_is_a_404_on_every_surface_but_not_for_its_staff(world):
    Mandate.objects.filter(pk=world.mandate.pk).update(is_published=False)
    slug = world.municipality.slug
    urls = [
        f"/{slug}/",
        f"/{slug}/actions/",
        f"/{slug}/dati-aperti/",
        f"/{slug}/export.csv",
        f"/{slug}/search/",
    ]
    for url in urls:
        assert Client().get(url).status_code == 404, url
        assert client_for(world, "other_admin").get(url).status_code == 404, url
        assert client_for(world, "editor").get(url).status_code == 200, url
        assert Client().get(url.replace(slug, "atlantide")).status_code == 404, url


def test_a_draft_stays_out_of_search_compare_api_feeds_and_catalogue(world):
    record_progress(world.action_a, user=world.users["admin"], status="in_progress", progress=10, date=PAST)
    Mandate.objects.filter(pk=world.mandate.pk).update(is_published=False)
    client = client_for(world, "admin")  # even its staff: lists and feeds show only what is public
    assert "Piantare alberi" not in client.get("/search/", {"q": "alberi"}).content.decode()
    assert "Piantare alberi" not in client.get("/compare/", {"q": "alberi"}).content.decode()
    assert client.get("/api/v1/actions").json()["items"] == []
    assert client.get("/api/v1/updates").json()["items"] == []
    assert client.get(f"/{world.municipality.slug}/feed.atom").status_code == 404
    assert world.municipality.slug not in client.get("/catalog.jsonld").content.decode()
    assert ProgressUpdate.objects.public().count() == 0


def test_a_published_past_mandate_is_public_in_the_api_but_not_current_on_the_portal(world):
    record_progress(world.action_a, user=world.users["admin"], status="in_progress", progress=10, date=PAST)
    Mandate.objects.filter(pk=world.mandate.pk).update(is_current=False)
    assert [row["id"] for row in Client().get("/api/v1/actions").json()["items"]] == [
        world.action_a.pk,
        world.action_b.pk,
    ]
    assert "Piantare alberi" not in Client().get("/search/", {"q": "alberi"}).content.decode()
    assert Action.objects.public().in_current_mandate().count() == 0
