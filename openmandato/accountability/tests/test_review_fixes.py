"""Regression tests for problems found in review: writes that could cross municipalities, files left
behind, a loose type check and a garbled report header."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openmandato.accountability import ledger, services
from openmandato.accountability.models import Membership
from openmandato.accountability.services import EvidenceInput, record_progress
from openmandato.accountability.tests.conftest import PAST, make_user
from openmandato.accountability.uploads import check_upload
from openmandato.portal.templatetags.portal import css_string
from openmandato.programs.models import Action, Mandate, Municipality
from openmandato.programs.tests.factory import make_mandate, make_section


def test_an_upload_goes_to_the_chosen_municipality_whatever_the_document_says(
    world, valenza_path, tmp_path, settings
):
    settings.VAR_DIR = tmp_path
    valenza = Municipality.objects.create(name="Valenza")
    make_mandate(valenza, title="Programma elettorale 2020-2025")
    client = Client()
    client.force_login(world.users["editor"])  # editor of Borgo only
    response = client.post(
        "/backoffice/import/",
        {
            "document": SimpleUploadedFile("valenza.txt", valenza_path.read_bytes()),
            "municipality": world.municipality.pk,
        },
    )
    preview = response["Location"]
    body = client.get(preview).content.decode()
    assert "Revisione" not in body  # Valenza's mandate is not touched, not even shown as a revision
    import re

    form = dict(re.findall(r'name="([as]-\d+)" value="([^"]*)"', body))
    client.post(preview, form)
    assert Mandate.objects.filter(
        municipality=world.municipality, title="Programma elettorale 2020-2025"
    ).exists()
    assert valenza.mandates.get().actions.count() == 0


def test_an_action_cannot_be_moved_into_another_municipality(world):
    other_section = make_section(Mandate.objects.get(municipality=world.other_municipality), "Altrove")
    Membership.objects.create(
        user=world.users["editor"], municipality=world.other_municipality, role="area_manager"
    )
    client = Client()
    client.force_login(world.users["editor"])
    action = world.action_a
    client.post(
        f"/admin/programs/action/{action.pk}/change/",
        {
            "section": other_section.pk,
            "position": 0,
            "code": "1",
            "title": "Spostata",
            "text": "",
            "weight": "1",
        },
    )
    action.refresh_from_db()
    assert action.mandate == world.mandate and action.title == "Piantare alberi"


def test_a_superuser_can_add_an_action_in_the_admin(world):
    client = Client()
    client.force_login(make_user("root", superuser=True))
    response = client.post(
        "/admin/programs/action/add/",
        {
            "section": world.action_a.section_id,
            "position": 5,
            "code": "9",
            "title": "Nuova azione",
            "text": "",
            "weight": "1",
        },
    )
    assert response.status_code == 302
    assert Action.objects.filter(title="Nuova azione", mandate=world.mandate).exists()


def test_a_failed_update_leaves_no_uploaded_file_behind(world, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path

    def broken_append(*args, **kwargs):
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr(ledger, "append", broken_append)
    monkeypatch.setattr(services.ledger, "append", broken_append)
    document = EvidenceInput(kind="document", upload=SimpleUploadedFile("atto.pdf", b"%PDF-1.7\n%x\n"))
    with pytest.raises(RuntimeError):
        record_progress(
            world.action_a,
            user=world.users["admin"],
            status="partially_done",
            progress=50,
            date=PAST,
            evidence=[document],
        )
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_webp_needs_its_own_signature():
    wave = SimpleUploadedFile("suono.webp", b"RIFF\x24\x00\x00\x00WAVEfmt ")
    with pytest.raises(ValidationError):
        check_upload(wave)
    check_upload(SimpleUploadedFile("foto.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 "))


def test_report_header_text_keeps_apostrophes_and_cannot_close_the_style():
    assert css_string("Sant'Angelo") == "Sant'Angelo"
    assert "</style" not in css_string('x"</style><script>')


@pytest.mark.django_db
def test_spreadsheet_status_changes_need_the_right_to_report_progress(world, tmp_path):
    import csv
    import io

    from openmandato.importer.spreadsheet import plan_spreadsheet

    rows = list(csv.DictReader(io.StringIO(Client().get("/borgo/export.csv").content.decode("utf-8-sig"))))
    rows[0].update(status="in_progress", progress="10")
    plan = plan_spreadsheet(world.mandate, rows, user=world.users["editor"])
    assert plan.errors and "non puoi registrare" in plan.errors[0]
    allowed = plan_spreadsheet(world.mandate, rows, user=world.users["admin"])
    assert not allowed.errors and len(allowed.changes) == 1
    assert datetime.date.today() >= PAST
