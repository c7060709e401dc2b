"""An uploaded program is parsed once, by the worker process, not by the web request (issue 12, 3)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openmandato.accountability.models import AuditEntry, Membership
from openmandato.importer.models import ProgramImport
from openmandato.programs.models import Municipality
from openmandato.tests.fixtures import make_user

PROGRAM = """Programma di mandato 2024-2029

AMBIENTE
1. Piantare cento alberi nei parchi del paese
2. Aprire un centro del riuso presso l'ecocentro
"""


@pytest.fixture
def editor_client(transactional_db):
    borgo = Municipality.objects.create(name="Borgo", province="AL")
    editor = make_user("editor")
    Membership.objects.create(user=editor, municipality=borgo, role="editor")
    client = Client()
    client.force_login(editor)
    return client, borgo


def upload(client, borgo, name: str, data: bytes):
    response = client.post(
        "/backoffice/import/", {"document": SimpleUploadedFile(name, data), "municipality": borgo.pk}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_the_worker_parses_the_upload_and_the_preview_waits_for_it(editor_client, task_worker):
    client, borgo = editor_client
    preview_url = upload(client, borgo, "programma.txt", PROGRAM.encode())

    waiting = client.get(preview_url)  # no worker yet: the request did not parse anything
    assert waiting.status_code == 200 and waiting["X-Pending"] == "1"
    assert "Stiamo analizzando programma.txt" in waiting.content.decode()
    assert "Piantare cento alberi" not in waiting.content.decode()
    assert client.post(preview_url, {}).status_code == 200  # cannot confirm what is not parsed yet
    assert not borgo.mandates.exists()

    task_worker().drain()
    ready = client.get(preview_url)
    assert "X-Pending" not in ready
    assert "Piantare cento alberi nei parchi del paese" in ready.content.decode()
    program_import = ProgramImport.objects.get()
    assert program_import.status == "ready" and bytes(program_import.document) == b""
    uploads = AuditEntry.objects.filter(verb="upload", municipality=borgo, object_id=str(program_import.pk))
    assert uploads.exists()

    client.post(preview_url, {})
    assert borgo.mandates.get().actions.count() == 2


def test_a_document_the_worker_cannot_read_shows_why_on_its_page(editor_client, task_worker):
    client, borgo = editor_client
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("word/document.xml", "<w:document>non è XML chiuso")
    preview_url = upload(client, borgo, "programma.docx", broken.getvalue())

    task_worker().drain()
    page = client.get(preview_url)
    assert "X-Pending" not in page
    assert "Il file DOCX è danneggiato o non leggibile." in page.content.decode()
    assert ProgramImport.objects.get().status == "failed"
    assert bytes(ProgramImport.objects.get().document) == b""
    assert not borgo.mandates.exists()


@pytest.mark.browser
def test_the_waiting_page_turns_into_the_preview_by_itself_when_the_worker_is_done(
    browser, live_server, task_worker, tmp_path
):
    from openmandato.tests.browser import axe_violations

    borgo = Municipality.objects.create(name="Borgo", province="AL")
    editor = make_user("editor")
    editor.set_password("una-password-lunga")
    editor.save()
    Membership.objects.create(user=editor, municipality=borgo, role="editor")
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="it-IT")
        page = context.new_page()
        page.set_default_timeout(20000)
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Nome utente").fill("editor")
        page.get_by_label("Password").fill("una-password-lunga")
        page.locator("form.login-form button[type=submit]").click()
        page.wait_for_url("**/backoffice/")
        page.goto(live_server.url + "/backoffice/import/")
        page.get_by_label("Documento (PDF, DOCX, HTML, Markdown o testo; massimo 20 MB)").set_input_files(
            files=[{"name": f"programma-{width}.txt", "mimeType": "text/plain", "buffer": PROGRAM.encode()}]
        )
        page.get_by_label("Comune").select_option(label="Borgo")
        page.get_by_role("button", name="Carica e mostra l'anteprima").click()
        page.wait_for_url("**/backoffice/import/*/")
        assert "Stiamo analizzando" in page.locator("main").inner_text()
        assert axe_violations(page) == []
        page.screenshot(path=str(tmp_path / f"parsing-{width}.png"), full_page=True)

        worker = task_worker()
        # no click: the page reloads by itself once the worker has parsed the document
        page.get_by_text("Piantare cento alberi nei parchi del paese").first.wait_for()
        worker.stop()
        context.close()
