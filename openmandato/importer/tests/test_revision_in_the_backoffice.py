"""A revision in the back-office: old → new per action in plain words, and titles the staff edited are
not silently undone by the next document (issue 9, import)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from openmandato.core.models import AuditEntry, Membership
from openmandato.importer.editing import flatten
from openmandato.importer.models import ProgramImport
from openmandato.programs.models import Action, Mandate, Municipality
from openmandato.tests.fixtures import make_user

pytestmark = pytest.mark.django_db

FIRST = """Programma di mandato 2024-2029

AMBIENTE
1. Piantare cento alberi nei parchi del paese
2. Aprire un centro del riuso presso l'ecocentro
3. Sostituire le lampade dell'illuminazione pubblica con lampade a led

SCUOLA
1. Rifare il tetto della scuola primaria
2. Avviare il servizio di pre-scuola per le famiglie
"""


@pytest.fixture
def staff(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    borgo = Municipality.objects.create(name="Borgo", province="AL")
    user = make_user("amministratrice")
    Membership.objects.create(user=user, municipality=borgo, role="administrator")
    client = Client()
    client.force_login(user)
    return client, borgo


def upload(client, municipality, text, name="programma.txt"):
    response = client.post(
        "/backoffice/import/",
        {"document": SimpleUploadedFile(name, text.encode()), "municipality": municipality.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def import_first(client, borgo, text=FIRST):
    preview = upload(client, borgo, text)
    client.post(preview, {})
    return Mandate.objects.get(municipality=borgo)


def test_the_diff_says_what_changes_in_words_with_old_and_new(staff):
    client, borgo = staff
    import_first(client, borgo)
    revised = (
        FIRST.replace("2. Aprire un centro del riuso presso l'ecocentro\n", "")
        .replace("Rifare il tetto della", "Rifare il tetto e la palestra della")
        .replace("SCUOLA\n", "SCUOLA\n3. Aprire una biblioteca per ragazzi\n4. Un orto in ogni scuola\n")
    )
    revised += "5. Mensa a chilometro zero\n"
    body = client.get(upload(client, borgo, revised, "programma-2.txt")).content.decode()
    assert "3 azioni nuove, 1 modificata, 1 rimossa" in body
    assert "Rifare il tetto della scuola primaria" in body  # old
    assert "Rifare il tetto e la palestra della scuola primaria" in body  # new
    assert "Aprire un centro del riuso" in body  # removed, listed


def test_the_summary_uses_plurals_in_both_languages(staff):
    client, borgo = staff
    mandate = import_first(client, borgo)
    from openmandato.importer.revision import plan_revision
    from openmandato.importer.tree import ActionNode, ProgramTree, SectionNode

    tree = ProgramTree(
        sections=[
            SectionNode(
                "AMBIENTE",
                actions=[ActionNode("Cento alberi", "Piantare cento alberi nei parchi del paese", "1")],
            ),
        ]
    )
    revision = plan_revision(mandate, tree)
    with translation.override("it"):
        assert revision.summary() == "0 azioni nuove, 1 modificata, 4 rimosse"
    with translation.override("en"):
        assert revision.summary() == "0 new actions, 1 changed, 4 removed"


def test_a_title_edited_in_the_preview_survives_a_revision_that_does_not_change_it(staff):
    client, borgo = staff
    preview = upload(client, borgo, FIRST)
    item = next(i for i in flatten(ProgramImport.objects.get().tree) if i["title"].startswith("Piantare"))
    client.post(preview + "edit/", {"op": "edit", "id": item["id"], "title": "Cento alberi nei parchi"})
    client.post(preview, {})
    revised = FIRST.replace("SCUOLA\n", "SCUOLA\n3. Aprire una biblioteca per ragazzi\n")
    second = upload(client, borgo, revised, "programma-2.txt")
    body = client.get(second).content.decode()
    assert "1 azione nuova, 0 modificate, 0 rimosse" in body
    client.post(second, {})
    assert Action.objects.filter(title="Cento alberi nei parchi").exists()
    assert not Action.objects.filter(title__startswith="Piantare").exists()


def test_a_title_edited_in_the_admin_and_changed_by_the_document_lets_the_staff_choose(staff):
    client, borgo = staff
    mandate = import_first(client, borgo)
    action = mandate.actions.get(title__startswith="Aprire un centro")
    Action.objects.filter(pk=action.pk).update(title="Centro del riuso all'ecocentro")  # edited in the admin
    revised = FIRST.replace("Aprire un centro del riuso", "Aprire entro il 2026 un centro del riuso")
    second = upload(client, borgo, revised, "programma-2.txt")
    body = client.get(second).content.decode()
    assert "Tieni il vostro titolo: «Centro del riuso all&#x27;ecocentro»" in body
    assert "Usa quello del documento: «Aprire entro il 2026 un centro del riuso" in body
    assert f'name="title-{action.pk}" id="keep-{action.pk}" value="mine" checked' in body
    client.post(second, {f"title-{action.pk}": "document"})
    action.refresh_from_db()
    assert action.title.startswith("Aprire entro il 2026 un centro del riuso")
    assert AuditEntry.objects.filter(verb="revise", municipality=borgo).count() == 1


def test_by_default_the_staff_title_is_kept(staff):
    client, borgo = staff
    mandate = import_first(client, borgo)
    action = mandate.actions.get(title__startswith="Aprire un centro")
    Action.objects.filter(pk=action.pk).update(title="Centro del riuso all'ecocentro")
    revised = FIRST.replace("Aprire un centro del riuso", "Aprire entro il 2026 un centro del riuso")
    second = upload(client, borgo, revised, "programma-2.txt")
    response = client.post(second, {})
    action.refresh_from_db()
    assert action.title == "Centro del riuso all'ecocentro"
    assert action.text.startswith("Aprire entro il 2026")  # the text follows the document
    page = client.get(response["Location"]).content.decode()
    assert "Revisione applicata: 0 azioni nuove, 1 modificata, 0 rimosse." in page


def test_a_program_imported_from_the_command_line_also_protects_titles_edited_in_the_admin(staff, run_cli):
    from openmandato.importer.parsing import parse_text
    from openmandato.importer.services import import_program

    client, borgo = staff
    tree = parse_text(FIRST)
    import_program(tree, municipality=borgo, source_filename="programma.txt", source_sha256="a" * 64)
    action = Action.objects.get(title__startswith="Aprire un centro")
    Action.objects.filter(pk=action.pk).update(title="Centro del riuso all'ecocentro")
    revised = FIRST.replace("Aprire un centro del riuso", "Aprire entro il 2026 un centro del riuso")
    body = client.get(upload(client, borgo, revised, "programma-2.txt")).content.decode()
    assert f'id="keep-{action.pk}" value="mine" checked' in body
