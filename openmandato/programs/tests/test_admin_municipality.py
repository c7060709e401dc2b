"""Municipalities are added through the web admin by a superuser, and only by one."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from openmandato.core.models import AuditEntry, Membership, Role
from openmandato.programs.models import Municipality
from openmandato.tests.factory import make_municipality

pytestmark = pytest.mark.django_db

NEW = {"name": "Casale Monferrato", "slug": "casale-monferrato", "province": "AL", "region": "Piemonte"}


def test_a_superuser_adds_a_municipality_in_the_admin():
    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client = Client()
    client.force_login(root)
    response = client.post("/admin/programs/municipality/add/", NEW, follow=True)
    assert response.status_code == 200
    created = Municipality.objects.get(slug="casale-monferrato")
    assert created.name == "Casale Monferrato"
    audit = AuditEntry.objects.get(model="programs.municipality", object_id=str(created.pk))
    assert (audit.verb, audit.user, audit.municipality) == ("create", root, created)


def test_an_administrator_of_a_comune_cannot_add_another():
    user = get_user_model().objects.create_user("sindaco", password="pw", is_staff=True)
    Membership.objects.create(user=user, municipality=make_municipality("Borgo"), role=Role.ADMINISTRATOR)
    client = Client()
    client.force_login(user)
    assert client.post("/admin/programs/municipality/add/", NEW).status_code == 403
    assert not Municipality.objects.filter(slug="casale-monferrato").exists()
