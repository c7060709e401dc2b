"""Staff journeys walked in real headless Chromium (Debian's /usr/bin/chromium) against a live server,
each from a fresh database, asserting what the person sees, with axe-core on the back-office pages.
Screenshots of the end of each journey land in $OPENMANDATO_SHOTS (default: the test's tmp dir)."""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from openmandato.accountability import ledger
from openmandato.accountability.models import Evidence, ProgressUpdate
from openmandato.programs.models import Municipality
from openmandato.tests.browser import axe_violations
from openmandato.tests.factory import make_mandate, make_section

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def open_page(browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    contexts = []

    def open_page(viewport=DESKTOP):
        context = browser.new_context(viewport=viewport, locale="it-IT")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base = live_server.url
        return page

    yield open_page
    for context in contexts:
        context.close()


def shot(page, name: str, tmp_path) -> Path:
    folder = Path(os.environ.get("OPENMANDATO_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    return target


def log_in(page, username, password):
    page.goto(page.base + "/accounts/login/")
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(password)
    page.locator("form.login-form button[type=submit]").click()
    page.wait_for_url("**/backoffice/")


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_staff_post_an_update_with_a_pdf_and_an_act_then_see_it_public(open_page, viewport, tmp_path):
    municipality = Municipality.objects.create(name="Borgo Verde")
    section = make_section(make_mandate(municipality, is_published=True), "Ambiente")
    action = section.actions.create(title="Piantare mille alberi", code="1")
    user = get_user_model().objects.create_user("sindaca", password="Borgo-Verde-2025!")
    user.memberships.create(municipality=municipality, role="administrator")
    page = open_page(viewport)
    log_in(page, "sindaca", "Borgo-Verde-2025!")
    page.get_by_role("link", name="1 · Piantare mille alberi").click()
    page.wait_for_url(f"**/backoffice/actions/{action.pk}/update/")
    assert axe_violations(page) == []
    today = timezone.localdate().isoformat()
    page.get_by_label("Stato").select_option("partially_done")
    page.get_by_label("Avanzamento (%)").fill("60")
    page.get_by_label("Nota").fill("Piantati i primi **600** alberi.")
    page.get_by_label("Tipo di atto").select_option("delibera_giunta")
    page.get_by_label("Numero dell'atto").fill("42/2025")
    page.get_by_label("Data dell'atto").fill(today)
    page.get_by_label("Documenti (PDF, immagini, documenti d'ufficio)").set_input_files(
        [
            {"name": "verbale-piantumazione.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "planimetria.pdf", "mimeType": "application/pdf", "buffer": PDF},
        ]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Registra l'aggiornamento").click()
    assert page.get_by_role("status").filter(has_text="Aggiornamento registrato.").count() == 1
    assert "Parzialmente realizzata" in page.locator("main").inner_text()
    update = ProgressUpdate.objects.get()
    entry_hash = update.ledger_entry.hash
    document = Evidence.objects.get(kind="document", original_name="verbale-piantumazione.pdf")
    assert Evidence.objects.filter(update=update, kind="document").count() == 2
    # The public page shows the claim with its sources and the ledger hash.
    page.get_by_role("link", name="pagina pubblica").click()
    page.wait_for_url(f"**/borgo-verde/actions/{action.pk}/")
    main = page.locator("main").inner_text()
    assert "Delibera di Giunta n. 42/2025" in main
    assert "verbale-piantumazione.pdf" in main and "planimetria.pdf" in main
    assert entry_hash in main
    assert "600" in main
    pdf = page.request.get(page.base + f"/borgo-verde/evidence/{document.pk}/")
    assert pdf.status == 200 and pdf.body() == PDF
    assert ledger.verify(update.action.mandate).ok
    # Back in the back-office the update page opens again (it answered 500 before).
    response = page.goto(page.base + f"/backoffice/actions/{action.pk}/update/")
    assert response.status == 200
    assert page.get_by_role("link", name="verbale-piantumazione.pdf").count() == 1
    assert entry_hash in page.locator("main").inner_text()
    if viewport is PHONE:
        assert fits_the_screen(page)
    shot(page, f"staff-update-{'phone' if viewport is PHONE else 'desktop'}", tmp_path)


def set_password_from_link(page, link, password):
    page.goto(link)
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Attiva il tuo account"
    assert axe_violations(page) == []
    page.locator("#id_new_password1").fill(password)
    page.locator("#id_new_password2").fill(password)
    page.get_by_role("button", name="Salva la password").click()
    page.wait_for_url("**/backoffice/")
    assert page.get_by_role("status").filter(has_text="Benvenuto! La tua password è attiva.").count() == 1


def test_a_superuser_creates_a_comune_whose_staff_invite_each_other(open_page, smtp_server, tmp_path):
    get_user_model().objects.create_superuser("root", "root@example.org", "Root-Password-2025!")
    page = open_page()
    log_in(page, "root", "Root-Password-2025!")
    # 1. The superuser adds the comune in the admin (this answered 403 before).
    page.goto(page.base + "/admin/programs/municipality/add/")
    page.locator("#id_name").fill("Castel Nuovo")
    page.locator("#id_province").click()  # the admin fills the slug from the name
    assert page.locator("#id_slug").input_value() == "castel-nuovo"
    page.locator("#id_province").fill("AL")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/programs/municipality/")
    assert "è stato aggiunto" in page.locator(".messagelist").inner_text()
    comune = Municipality.objects.get(slug="castel-nuovo")
    # The program arrives (the import journey is tested on its own): two sections, four actions.
    mandate = make_mandate(comune, is_published=True)
    for position, (title, actions) in enumerate(
        {
            "Scuole": ["Nuova mensa", "Tetto della palestra"],
            "Strade": ["Asfaltare via Roma", "Nuove piste"],
        }.items()
    ):
        section = make_section(mandate, title, position=position)
        for index, name in enumerate(actions):
            section.actions.create(title=name, position=index)
    # 2. The superuser invites the comune's administrator by e-mail.
    page.goto(page.base + "/backoffice/staff/")
    assert axe_violations(page) == []
    page.get_by_label("E-mail della persona da invitare").fill("sindaco@castelnuovo.example.org")
    page.get_by_label("Ruolo").select_option("administrator")
    with page.expect_navigation():
        page.get_by_role("button", name="Invia l'invito").click()
    assert "Invito inviato a sindaco@castelnuovo.example.org." in page.locator("main").inner_text()
    assert (
        len(smtp_server.messages) == 1 and smtp_server.messages[0]["To"] == "sindaco@castelnuovo.example.org"
    )
    # 3. The administrator sets a password from the e-mailed link, then organises areas.
    admin_page = open_page()
    set_password_from_link(admin_page, smtp_server.link(), "Castel-Nuovo-Sindaco-1!")
    admin_page.get_by_role("link", name="Aree").click()
    admin_page.wait_for_url("**/backoffice/areas/")
    admin_page.get_by_label("Nome dell'area").fill("Ufficio scuole")
    admin_page.get_by_role("button", name="Crea l'area").click()
    admin_page.wait_for_url("**/backoffice/areas/*/")
    assert "Area «Ufficio scuole» creata." in admin_page.locator("main").inner_text()
    assert axe_violations(admin_page) == []
    admin_page.get_by_label("Nuova mensa").check()
    admin_page.get_by_label("Tetto della palestra").check()
    with admin_page.expect_navigation():
        admin_page.get_by_role("button", name="Assegna all'area").click()
    assert "2 azioni assegnate all'area." in admin_page.locator("main").inner_text()
    # 4. The administrator invites an area manager for that area.
    admin_page.goto(admin_page.base + "/backoffice/staff/")
    admin_page.get_by_label("E-mail della persona da invitare").fill("scuole@castelnuovo.example.org")
    admin_page.get_by_label("Ruolo").select_option("area_manager")
    admin_page.locator("label", has_text="Ufficio scuole (Castel Nuovo)").click()  # Bootstrap Italia's box
    assert admin_page.get_by_label("Ufficio scuole (Castel Nuovo)").is_checked()
    with admin_page.expect_navigation():
        admin_page.get_by_role("button", name="Invia l'invito").click()
    assert "Invito inviato a scuole@castelnuovo.example.org." in admin_page.locator("main").inner_text()
    assert "invito in attesa" in admin_page.locator("main").inner_text()
    assert len(smtp_server.messages) == 2
    # 5. The area manager sets a password and sees and updates only the area's actions.
    manager_page = open_page(PHONE)
    set_password_from_link(manager_page, smtp_server.link(), "Castel-Nuovo-Scuole-1!")
    listing = manager_page.locator("main").inner_text()
    assert "Nuova mensa" in listing and "Tetto della palestra" in listing
    assert "Asfaltare via Roma" not in listing
    manager_page.get_by_role("link", name="Nuova mensa").click()
    manager_page.get_by_label("Avanzamento (%)").fill("15")
    manager_page.get_by_label("Stato").select_option("in_progress")
    with manager_page.expect_navigation():
        manager_page.get_by_role("button", name="Registra l'aggiornamento").click()
    assert manager_page.get_by_role("status").filter(has_text="Aggiornamento registrato.").count() == 1
    other = mandate.actions.get(title="Asfaltare via Roma")
    refused = manager_page.goto(manager_page.base + f"/backoffice/actions/{other.pk}/update/")
    assert refused.status == 403
    assert ProgressUpdate.objects.filter(action=other).count() == 0
    manager_page.goto(manager_page.base + "/backoffice/")
    assert fits_the_screen(manager_page)
    shot(manager_page, "staff-invitations-phone", tmp_path)
    admin_page.goto(admin_page.base + "/backoffice/staff/")
    shot(admin_page, "staff-invitations-desktop", tmp_path)


def test_the_password_reset_pages_pass_axe_on_a_phone(open_page, smtp_server, tmp_path):
    user = get_user_model().objects.create_user("anna", "anna@example.org", "Vecchia-Password-1!")
    page = open_page(PHONE)
    page.goto(page.base + "/accounts/login/")
    page.get_by_role("link", name="Password dimenticata?").click()
    page.wait_for_url("**/accounts/password-reset/")
    assert axe_violations(page) == []
    page.get_by_label("Email").fill("anna@example.org")
    page.get_by_role("button", name="Invia il link").click()
    page.wait_for_url("**/accounts/password-reset/sent/")
    assert page.locator("h1").inner_text() == "Controlla la posta"
    assert axe_violations(page) == []
    page.goto(smtp_server.link())
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Scegli una nuova password"
    assert axe_violations(page) == []
    page.locator("#id_new_password1").fill("Nuova-Password-2025!")
    page.locator("#id_new_password2").fill("Nuova-Password-2025!")
    page.get_by_role("button", name="Salva la password").click()
    page.wait_for_url("**/accounts/reset/done/")
    assert axe_violations(page) == []
    user.refresh_from_db()
    assert user.check_password("Nuova-Password-2025!")
    assert fits_the_screen(page)
    shot(page, "password-reset-phone", tmp_path)
