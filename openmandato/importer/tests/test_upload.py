import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from fpdf import FPDF

from openmandato.core.models import Membership
from openmandato.importer.editing import flatten
from openmandato.importer.models import ProgramImport
from openmandato.programs.models import Action, Mandate, Municipality
from openmandato.tests.fixtures import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    valenza = Municipality.objects.create(name="Valenza", province="AL")
    other = Municipality.objects.create(name="Altrove")
    user = make_user("redattore")
    Membership.objects.create(user=user, municipality=valenza, role="editor")
    client = Client()
    client.force_login(user)
    return client, valenza, other


def upload(client, municipality, name, data, **extra):
    return client.post(
        "/backoffice/import/",
        {"document": SimpleUploadedFile(name, data), "municipality": municipality.pk, **extra},
    )


def test_upload_preview_edit_and_confirm_as_a_draft(editor, valenza_path):
    client, valenza, _other = editor
    response = upload(client, valenza, "programma.txt", valenza_path.read_bytes())
    assert response.status_code == 302
    preview_url = response["Location"]
    body = client.get(preview_url).content.decode()
    assert "9 sezioni, 84 azioni" in body
    assert "2 azioni numerate 7 in «Bellezza»" in body
    assert "Raddoppiare il progetto “un albero per ogni nato”" in body
    program_import = ProgramImport.objects.get()
    first_action = next(item for item in flatten(program_import.tree) if item["kind"] == "action")
    edited = client.post(
        preview_url + "edit/",
        {"op": "edit", "id": first_action["id"], "title": "Tariffa puntuale dei rifiuti"},
    )
    assert edited.status_code == 302
    assert 'value="Tariffa puntuale dei rifiuti"' in client.get(edited["Location"]).content.decode()
    confirmed = client.post(preview_url, {})
    mandate = Mandate.objects.get(municipality=valenza)
    assert confirmed["Location"] == f"/backoffice/import/mandates/{mandate.pk}/"
    page = client.get(confirmed["Location"]).content.decode()
    assert "Programma importato come bozza: 84 azioni." in page
    assert "Bozza: il programma è visibile solo allo staff del comune." in page
    assert mandate.actions.count() == 84
    assert mandate.is_published is False
    assert Action.objects.filter(title="Tariffa puntuale dei rifiuti").exists()


def test_the_document_is_parsed_once_not_on_every_preview_or_confirm(editor, valenza_path, monkeypatch):
    client, valenza, _other = editor
    response = upload(client, valenza, "programma.txt", valenza_path.read_bytes())

    def refuse(*args, **kwargs):
        raise AssertionError("parsed again")

    for module in ("parsing", "reading", "services"):
        for name in ("parse_blocks", "read_bytes"):
            monkeypatch.setattr(f"openmandato.importer.{module}.{name}", refuse, raising=False)
    assert client.get(response["Location"]).status_code == 200
    client.post(response["Location"], {})
    assert Mandate.objects.get(municipality=valenza).actions.count() == 84


def scanned_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 100, 100, style="F")
    return bytes(pdf.output())


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.exe", b"MZ\x90\x00binary", "Tipo di file non ammesso"),
        ("scansione.pdf", None, "esegui prima l&#x27;OCR"),
        ("vuoto.txt", b"", "vuoto"),
        ("ricetta.txt", b"Ricetta\n\nSoffriggere la cipolla.", "Nessun programma riconoscibile"),
        ("enorme.txt", b"x" * (20 * 1024 * 1024 + 1), "20 MB"),
    ],
)
def test_bad_uploads_get_a_message_on_the_form_and_change_nothing(editor, name, data, message):
    client, valenza, _other = editor
    response = upload(client, valenza, name, data if data is not None else scanned_pdf())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Mandate.objects.count() == 0
    assert ProgramImport.objects.count() == 0


def test_staff_cannot_import_into_another_municipality(editor, valenza_path):
    client, _valenza, other = editor
    response = upload(client, other, "programma.txt", valenza_path.read_bytes())
    assert response.status_code == 200
    assert "Scegli un&#x27;opzione valida" in response.content.decode()
    assert Mandate.objects.count() == 0


def test_a_revised_document_shows_its_differences_before_confirming(editor, valenza_path):
    client, valenza, _other = editor
    first = upload(client, valenza, "programma.txt", valenza_path.read_bytes())
    client.post(first["Location"], {})
    revised = valenza_path.read_text(encoding="utf-8").replace(
        "4 | Installazione di colonnine per la ricarica di auto elettriche |\n", ""
    )
    second = upload(client, valenza, "programma-2.txt", revised.encode())
    body = client.get(second["Location"]).content.decode()
    assert "0 azioni nuove, 0 modificate, 1 rimossa" in body
    assert "Installazione di colonnine" in body
