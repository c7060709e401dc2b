import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from fpdf import FPDF

from openmandato.accountability.models import Membership
from openmandato.accountability.tests.conftest import make_user
from openmandato.programs.models import Action, Mandate, Municipality

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


def test_upload_preview_edit_and_confirm(editor, valenza_path):
    client, valenza, _other = editor
    response = upload(client, valenza, "programma.txt", valenza_path.read_bytes())
    assert response.status_code == 302
    preview = client.get(response["Location"])
    body = preview.content.decode()
    assert "9 sezioni, 84 azioni" in body
    assert "2 azioni numerate 7 in «Bellezza»" in body
    assert 'value="Raddoppiare il progetto “un albero per ogni nato”"' in body
    form = dict(_inputs(body))
    first_action = next(k for k in form if k.startswith("a-"))
    form[first_action] = "Tariffa puntuale dei rifiuti"
    confirmed = client.post(response["Location"], form)
    assert confirmed.status_code == 302 and confirmed["Location"] == "/valenza/"
    mandate = Mandate.objects.get(municipality=valenza)
    assert mandate.actions.count() == 84
    assert Action.objects.filter(title="Tariffa puntuale dei rifiuti").exists()


def _inputs(html: str):
    import re

    for match in re.finditer(r'<input[^>]*name="([as]-\d+)"[^>]*value="([^"]*)"', html):
        yield (
            match.group(1),
            match.group(2).replace("&amp;", "&").replace("&quot;", '"').replace("&#x27;", "'"),
        )


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


def test_staff_cannot_import_into_another_municipality(editor, valenza_path):
    client, _valenza, other = editor
    response = upload(client, other, "programma.txt", valenza_path.read_bytes())
    assert response.status_code == 200
    assert "Scegli un&#x27;opzione valida" in response.content.decode()
    assert Mandate.objects.count() == 0


def test_a_revised_document_shows_its_differences_before_confirming(editor, valenza_path):
    client, valenza, _other = editor
    first = upload(client, valenza, "programma.txt", valenza_path.read_bytes())
    client.post(first["Location"], dict(_inputs(client.get(first["Location"]).content.decode())))
    revised = valenza_path.read_text(encoding="utf-8").replace(
        "4 | Installazione di colonnine per la ricarica di auto elettriche |\n", ""
    )
    second = upload(client, valenza, "programma-2.txt", revised.encode())
    body = client.get(second["Location"]).content.decode()
    assert "0 azioni nuove, 0 modificate, 1 da archiviare" in body
    assert "Installazione di colonnine" in body
