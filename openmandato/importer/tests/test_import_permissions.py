"""Who may use each import page, as a table built from the importer's URL conf: a new view without a
row here fails the test."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openmandato.core.models import Membership
from openmandato.importer import urls
from openmandato.importer.models import ProgramImport
from openmandato.programs.models import Mandate, Municipality
from openmandato.tests.fixtures import make_user

pytestmark = pytest.mark.django_db

PROGRAM = b"""Programma di mandato 2024-2029

AMBIENTE
1. Piantare cento alberi nei parchi del paese
2. Aprire un centro del riuso presso l'ecocentro
"""

ROLES = ["anonymous", "administrator", "editor", "area_manager", "outsider"]
# (url name, method) -> the roles that are let in; everyone else gets 403 (anonymous: the login page).
ALLOWED = {
    ("import_upload", "get"): {"administrator", "editor", "area_manager", "outsider"},  # an empty form
    ("import_preview", "get"): {"administrator", "editor"},
    ("import_preview", "post"): {"administrator", "editor"},
    ("import_edit", "post"): {"administrator", "editor"},
    ("import_mandate", "get"): {"administrator", "editor"},
    ("import_publish", "post"): {"administrator"},
}


@pytest.fixture
def world(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    borgo = Municipality.objects.create(name="Borgo")
    other = Municipality.objects.create(name="Altrove")
    users = {}
    for role in ("administrator", "editor", "area_manager"):
        users[role] = make_user(role)
        Membership.objects.create(user=users[role], municipality=borgo, role=role)
    users["outsider"] = make_user("outsider")
    Membership.objects.create(user=users["outsider"], municipality=other, role="administrator")
    client = Client()
    client.force_login(users["editor"])
    response = client.post(
        "/backoffice/import/", {"document": SimpleUploadedFile("p.txt", PROGRAM), "municipality": borgo.pk}
    )
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    draft = ProgramImport.objects.get(token=token)
    confirmed = Client()
    confirmed.force_login(users["editor"])
    response = confirmed.post(
        "/backoffice/import/",
        {
            "document": SimpleUploadedFile("q.txt", PROGRAM.replace(b"2024", b"2025")),
            "municipality": borgo.pk,
        },
    )
    confirmed.post(response["Location"], {})
    mandate = Mandate.objects.get(municipality=borgo)
    return users, draft, mandate


def url_for(name, draft, mandate):
    return {
        "import_upload": "/backoffice/import/",
        "import_preview": f"/backoffice/import/{draft.token}/",
        "import_edit": f"/backoffice/import/{draft.token}/edit/",
        "import_mandate": f"/backoffice/import/mandates/{mandate.pk}/",
        "import_publish": f"/backoffice/import/mandates/{mandate.pk}/publish/",
    }[name]


def test_every_import_url_has_a_row_in_the_table():
    assert {pattern.name for pattern in urls.urlpatterns} == {name for name, _method in ALLOWED}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method"), sorted(ALLOWED))
def test_the_import_pages_let_in_only_the_right_roles(world, role, name, method):
    users, draft, mandate = world
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    data = {"op": "exclude", "id": "n2"} if name == "import_edit" else {}
    response = getattr(client, method)(url_for(name, draft, mandate), data)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in ALLOWED[(name, method)]:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403
    draft.refresh_from_db()
    mandate.refresh_from_db()
    allowed_write = role in ALLOWED[(name, method)] and method == "post"
    assert (draft.edits != []) == (allowed_write and name == "import_edit")
    assert mandate.is_published == (allowed_write and name == "import_publish")
    assert (draft.confirmed_at is not None) == (allowed_write and name == "import_preview")
