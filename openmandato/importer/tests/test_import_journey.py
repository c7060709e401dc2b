"""The staff import journey in real Chromium, from a fresh database: upload, preview, fix the import
with the review editor, confirm as a draft, publish, then upload a revision and choose about a title
the staff edited. axe-core on every import page; screenshots at desktop and phone width."""

import os
import re
from pathlib import Path

import pytest

from openmandato.core.models import AuditEntry, Membership
from openmandato.programs.models import Action, Mandate, Municipality
from openmandato.tests.browser import axe_violations
from openmandato.tests.fixtures import make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SHOTS = Path(os.environ.get("OPENMANDATO_SHOTS", "/tmp/shots-importui"))  # noqa: S108 - asked for
PROGRAM = """Comune di Borgo
Programma di mandato 2024-2029

AMBIENTE
1. Piantare cento alberi nei parchi del paese
2. Aprire un centro del riuso presso l'ecocentro
3. Scuola e giovani
4. Rifare il tetto della scuola primaria
5. Avviare il servizio di pre-scuola per le famiglie

CULTURA
1. Riaprire il teatro comunale con una stagione di prosa
2. Una biblioteca aperta anche la domenica
"""


@pytest.fixture
def staff_page(browser, live_server, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    borgo = Municipality.objects.create(name="Borgo", province="AL")
    user = make_user("sindaca")
    user.set_password("una-password-lunga")
    user.save()
    Membership.objects.create(user=user, municipality=borgo, role="administrator")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    page.goto(page.base + "/accounts/login/")
    page.get_by_label("Nome utente").fill("sindaca")
    page.get_by_label("Password").fill("una-password-lunga")
    page.locator("form.login-form button[type=submit]").click()
    page.wait_for_url("**/backoffice/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield page, borgo
    context.close()


def upload(page, text: str, name: str) -> None:
    page.goto(page.base + "/backoffice/import/")
    page.get_by_label("Documento (PDF, DOCX, HTML, Markdown o testo; massimo 20 MB)").set_input_files(
        files=[{"name": name, "mimeType": "text/plain", "buffer": text.encode()}]
    )
    page.get_by_label("Comune").select_option(label="Borgo")
    page.get_by_role("button", name="Carica e mostra l'anteprima").click()
    page.wait_for_url("**/backoffice/import/*/")


IDLE = "() => !document.querySelector('.htmx-request')"
SWAPPED = (
    "() => !document.querySelector('#import-page').dataset.old && !document.querySelector('.htmx-request')"
)


def swap(page, act) -> None:
    """Do something that makes an htmx request and wait until the page is swapped in."""
    page.wait_for_function(IDLE)
    page.evaluate("document.querySelector('#import-page').dataset.old = '1'")
    act()
    page.wait_for_function(SWAPPED)


def select(page, title: str) -> None:
    swap(page, lambda: page.locator(".outline-item a", has_text=title).click())
    assert page.locator("#f-title").input_value().startswith(title)


def operate(page, button_id: str) -> None:
    """Press an editor button with the keyboard."""

    def press():
        page.locator(f"#{button_id}").focus()
        page.keyboard.press("Enter")

    swap(page, press)


def test_staff_import_edit_confirm_publish_and_revise(staff_page):
    page, borgo = staff_page
    problems = {}
    upload(page, PROGRAM, "programma.txt")
    problems["upload"] = []
    assert page.get_by_text("2 sezioni, 7 azioni").count() == 1
    assert page.get_by_text("sarà importato nel Comune di Borgo").count() == 1

    # The editor: delete an item, turn one into a section, indent one, edit a title.
    page.evaluate("window.notReloaded = true")
    select(page, "Aprire un centro del riuso")
    operate(page, "op-delete")
    assert page.locator(".outline-item a", has_text="Aprire un centro del riuso").count() == 0
    select(page, "Scuola e giovani")
    operate(page, "op-to-section")
    assert page.locator(".outline-item.kind-section a", has_text="Scuola e giovani").count() == 1
    select(page, "Rifare il tetto della scuola primaria")
    operate(page, "op-indent")
    assert page.evaluate("document.activeElement.id") == "op-indent"  # the keyboard user stays put
    select(page, "Avviare il servizio di pre-scuola")
    operate(page, "op-indent")
    select(page, "Piantare cento alberi")
    page.locator("#f-title").fill("Cento alberi nei parchi")
    operate(page, "op-save")
    assert page.locator(".outline-item a", has_text="Cento alberi nei parchi").count() == 1
    assert page.evaluate("window.notReloaded") is True  # htmx, no page reloads
    assert page.locator(".import-summary strong").inner_text() == "3 sezioni, 5 azioni"
    select(page, "Scuola e giovani")
    page.screenshot(path=str(SHOTS / "preview-editor-desktop.png"), full_page=True)
    problems["preview"] = axe_violations(page)
    page.set_viewport_size({"width": 375, "height": 740})
    page.screenshot(path=str(SHOTS / "preview-editor-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Confirm: a draft, with a message; then publish.
    page.get_by_role("button", name="Conferma l'importazione (come bozza)").click()
    page.wait_for_url("**/backoffice/import/mandates/*/")
    assert (
        page.get_by_text("Programma importato come bozza: 5 azioni. Controllalo, poi pubblicalo.").count()
        == 1
    )
    assert page.get_by_text("Bozza: il programma è visibile solo allo staff del comune.").count() == 1
    problems["draft"] = axe_violations(page)
    page.get_by_role("button", name="Pubblica").click()
    page.wait_for_url("**/backoffice/import/mandates/*/")
    assert page.get_by_text("Mandato pubblicato: ora è visibile a tutti.").count() == 1
    page.screenshot(path=str(SHOTS / "published-desktop.png"), full_page=True)
    mandate = Mandate.objects.get(municipality=borgo)
    assert mandate.is_published
    scuola = mandate.sections.get(title="Scuola e giovani")
    assert scuola.parent.title == "AMBIENTE"
    assert sorted(scuola.actions.values_list("title", flat=True)) == [
        "Avviare il servizio di pre-scuola per le famiglie",
        "Rifare il tetto della scuola primaria",
    ]
    assert AuditEntry.objects.filter(verb__in=["import", "publish"], municipality=borgo).count() == 2

    # A revision: the document changes the title the staff edited, and another action's text.
    revised = PROGRAM.replace("Piantare cento alberi", "Piantare duecento alberi").replace(
        "una stagione di prosa", "una stagione di prosa e di musica"
    )
    upload(page, revised, "programma-2.txt")
    changes = page.locator(".revision .changes")
    assert "Riaprire il teatro comunale con una stagione di prosa" in changes.inner_text()
    assert "Riaprire il teatro comunale con una stagione di prosa e di musica" in changes.inner_text()
    assert "→" in changes.inner_text()
    assert re.search(
        r"\d+ azion[ei] nuov[ae], \d+ modificat[ae], \d+ rimoss[ae]",
        page.locator(".revision-summary").inner_text(),
    )
    assert page.get_by_label("Tieni il vostro titolo: «Cento alberi nei parchi»").is_checked()
    assert page.get_by_label(re.compile("Usa quello del documento: «Piantare duecento alberi")).count() == 1
    page.screenshot(path=str(SHOTS / "revision-desktop.png"), full_page=True)
    problems["revision"] = axe_violations(page)
    page.set_viewport_size({"width": 375, "height": 740})
    page.screenshot(path=str(SHOTS / "revision-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Applica la revisione").click()
    page.wait_for_url("**/backoffice/import/mandates/*/")
    assert page.get_by_text(re.compile(r"Revisione applicata: \d+ azion")).count() == 1
    assert Action.objects.filter(mandate=mandate, title="Cento alberi nei parchi").exists()
    assert Action.objects.filter(mandate=mandate, text__endswith="prosa e di musica").exists()

    page.goto(page.base + "/backoffice/import/")
    problems["upload"] = axe_violations(page)
    assert {key: value for key, value in problems.items() if value} == {}


def test_a_doubtful_reading_is_said_plainly_with_the_items_to_check_first(staff_page):
    from openmandato.importer.models import ProgramImport
    from openmandato.importer.tests.test_review_editor import sample_tree

    page, _borgo = staff_page
    upload(page, PROGRAM, "programma.txt")
    tree = sample_tree()
    tree["confidence"] = 0.35
    tree["layout_reason"] = "poche righe numerate, molti paragrafi lunghi"
    ProgramImport.objects.filter(token=page.url.rstrip("/").rsplit("/", 1)[-1]).update(tree=tree)
    page.reload()
    assert page.get_by_role("alert").filter(has_text="Non siamo riusciti a strutturare").count() == 1
    review = page.locator(".review-list li")
    assert review.nth(0).inner_text().startswith("Indice")
    assert "sembra analisi, non un impegno" in review.nth(1).inner_text()
    swap(page, lambda: review.nth(1).get_by_role("link").click())
    assert page.locator("#f-title").input_value() == "Punti di forza: il verde"
    assert page.evaluate("document.activeElement.id") == "f-title"  # straight to the editor
    page.screenshot(path=str(SHOTS / "doubtful-desktop.png"), full_page=True)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Conferma l'importazione (come bozza)").click()
    assert page.get_by_role("alert").filter(has_text="conferma di aver controllato le voci").count() == 1
    page.locator("label[for=acknowledged]").click()  # Bootstrap Italia styles the label
    page.get_by_role("button", name="Conferma l'importazione (come bozza)").click()
    page.wait_for_url("**/backoffice/import/mandates/*/")
