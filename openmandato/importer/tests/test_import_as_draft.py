"""An import lands as a draft only its staff see; an administrator publishes it, audited (issue 13, 4)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openmandato.core.models import AuditEntry, Membership
from openmandato.programs.models import Mandate, Municipality
from openmandato.tests.fixtures import make_user

pytestmark = pytest.mark.django_db

PROGRAM = """Programma di mandato 2024-2029

AMBIENTE
1. Piantare cento alberi nei parchi del paese
2. Aprire un centro del riuso presso l'ecocentro
"""


@pytest.fixture
def borgo(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    borgo = Municipality.objects.create(name="Borgo", province="AL")
    users = {role: make_user(role) for role in ("administrator", "editor", "area_manager")}
    for role, user in users.items():
        Membership.objects.create(user=user, municipality=borgo, role=role)
    users["outsider"] = make_user("outsider")
    Membership.objects.create(
        user=users["outsider"], municipality=Municipality.objects.create(name="Altrove"), role="administrator"
    )
    return borgo, users


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def import_as(user, borgo) -> Mandate:
    client = client_for(user)
    response = client.post(
        "/backoffice/import/",
        {"document": SimpleUploadedFile("p.txt", PROGRAM.encode()), "municipality": borgo.pk},
    )
    client.post(response["Location"], {})
    return Mandate.objects.get(municipality=borgo)


def test_an_import_is_a_draft_that_only_the_staff_see(borgo):
    borgo, users = borgo
    mandate = import_as(users["editor"], borgo)
    assert mandate.is_published is False
    anonymous = Client().get("/borgo/")
    assert "Piantare cento alberi" not in anonymous.content.decode()
    assert Client().get(f"/borgo/sections/{mandate.sections.get().pk}/").status_code == 404
    listed = {m["name"]: m for m in Client().get("/api/v1/municipalities").json()}
    assert "Borgo" not in listed  # a comune with only a draft is not published at all
    staff_page = client_for(users["area_manager"]).get(f"/borgo/sections/{mandate.sections.get().pk}/")
    assert staff_page.status_code == 200
    assert "Piantare cento alberi" in staff_page.content.decode()


def test_an_administrator_publishes_the_draft_and_it_is_audited(borgo):
    borgo, users = borgo
    mandate = import_as(users["editor"], borgo)
    client = client_for(users["administrator"])
    page = client.get(f"/backoffice/import/mandates/{mandate.pk}/").content.decode()
    assert ">Pubblica</button>" in page
    response = client.post(f"/backoffice/import/mandates/{mandate.pk}/publish/")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Mandato pubblicato: ora è visibile a tutti." in page
    mandate.refresh_from_db()
    assert mandate.is_published is True
    entry = AuditEntry.objects.get(verb="publish")
    assert entry.user == users["administrator"] and entry.municipality == borgo
    assert (
        "Piantare cento alberi"
        in Client().get(f"/borgo/sections/{mandate.sections.get().pk}/").content.decode()
    )


@pytest.mark.parametrize("who", ["editor", "area_manager", "outsider"])
def test_only_an_administrator_of_that_comune_can_publish(borgo, who):
    borgo, users = borgo
    mandate = import_as(users["editor"], borgo)
    client = client_for(users[who])
    if who == "editor":
        page = client.get(f"/backoffice/import/mandates/{mandate.pk}/").content.decode()
        assert ">Pubblica</button>" not in page
        assert "Un amministratore del comune può pubblicarlo." in page
    assert client.post(f"/backoffice/import/mandates/{mandate.pk}/publish/").status_code == 403
    mandate.refresh_from_db()
    assert mandate.is_published is False
    assert not AuditEntry.objects.filter(verb="publish").exists()


def test_the_command_line_import_stays_published(run_cli, valenza_path, tmp_path):
    database = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert run_cli("migrate", database_url=database).returncode == 0
    result = run_cli("import_program", str(valenza_path), "--format", "json", database_url=database)
    assert result.returncode == 0, result.stderr
    listing = run_cli(
        "shell",
        "-c",
        "from openmandato.programs.models import Mandate;print(Mandate.objects.get().is_published)",
        database_url=database,
    )
    assert listing.stdout.strip().splitlines()[-1] == "True"
