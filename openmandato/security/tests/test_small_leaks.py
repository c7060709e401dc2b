"""Drafts stay unknown to anyone without a role: their ids answer like missing ones, their names are
not listed, and the role form does not list every account on the instance."""

import re

import pytest
from django.test import Client

from openmandato.accountability.models import Indicator
from openmandato.core.models import Membership
from openmandato.tests.fixtures import bearer, make_mandate, make_municipality, make_user, post_update

pytestmark = pytest.mark.django_db

MISSING = 987654321


def draft(world):
    world.mandate.is_published = False
    world.mandate.save()


def test_a_token_without_a_role_gets_404_for_draft_and_missing_ids(world):
    draft(world)
    indicator = Indicator.objects.create(
        action=world.action_a,
        name="Alberi",
        unit="n",
        baseline=0,
        target=10,
        baseline_date="2020-01-01",
        target_date="2025-01-01",
    )
    update = {"date": "2024-01-01", "status": "in_progress", "progress": 5}
    measurement = {"date": "2024-01-01", "value": 3}
    for who in ("citizen", "other_admin"):
        headers = bearer(world, who)

        def post(url, body, headers=headers):
            return Client().post(url, body, content_type="application/json", **headers)

        draft_answer = post(f"/api/v1/actions/{world.action_a.pk}/updates", update)
        missing_answer = post(f"/api/v1/actions/{MISSING}/updates", update)
        assert draft_answer.status_code == missing_answer.status_code == 404
        assert draft_answer.json() == missing_answer.json()
        draft_answer = post(f"/api/v1/indicators/{indicator.pk}/measurements", measurement)
        missing_answer = post(f"/api/v1/indicators/{MISSING}/measurements", measurement)
        assert draft_answer.status_code == missing_answer.status_code == 404


def test_staff_of_the_municipality_still_write_to_drafts(world):
    draft(world)
    assert post_update(world, bearer(world, "admin")).status_code == 201


def test_a_draft_municipality_name_is_not_on_the_home_page_nor_in_the_api(world):
    hidden = make_municipality("Borgosegreto")
    make_mandate(hidden).__class__.objects.filter(municipality=hidden).update(is_published=False)
    empty = make_municipality("Senzamandato")
    client = Client()
    home = client.get("/").content.decode()
    listing = client.get("/api/v1/municipalities").content.decode()
    assert "Borgo" in home and "Borgosegreto" not in home and "Senzamandato" not in home
    assert "Borgosegreto" not in listing and "Senzamandato" not in listing and '"Borgo"' in listing
    assert client.get(f"/api/v1/municipalities/{hidden.slug}").status_code == 404
    assert client.get(f"/{hidden.slug}/").status_code == 404
    assert client.get(f"/{empty.slug}/").status_code == 404
    staff = make_user("staff-of-hidden")
    Membership.objects.create(user=staff, municipality=hidden, role="administrator")
    client.force_login(staff)
    assert client.get(f"/{hidden.slug}/").status_code == 200


def test_the_role_form_does_not_list_every_username(world):
    make_user("someone-elsewhere-entirely", staff=False)
    client = Client()
    client.force_login(world.users["admin"])
    page = client.get("/admin/core/membership/add/").content.decode()
    assert "someone-elsewhere-entirely" not in page and "other_admin" not in page
    assert not re.search(r'<select[^>]*name="user"', page)
    response = client.post(
        "/admin/core/membership/add/",
        {"user": "someone-elsewhere-entirely", "municipality": world.municipality.pk, "role": "editor"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Membership.objects.filter(user__username="someone-elsewhere-entirely", role="editor").exists()
    unknown = client.post(
        "/admin/core/membership/add/",
        {"user": "nobody", "municipality": world.municipality.pk, "role": "editor"},
    )
    assert "Nessun utente attivo" in unknown.content.decode()


def test_a_superuser_keeps_the_full_choice(world):
    client = Client()
    client.force_login(make_user("root", superuser=True))
    page = client.get("/admin/core/membership/add/").content.decode()
    assert re.search(r'<select[^>]*name="user"', page)
