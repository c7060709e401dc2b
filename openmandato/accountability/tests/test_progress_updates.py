import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory

from openmandato.accountability.append_only import AppendOnlyError
from openmandato.accountability.models import ActKind, EvidenceKind, ProgressUpdate
from openmandato.accountability.services import EvidenceInput, current_update, record_progress
from openmandato.tests.fixtures import PAST

ACT = EvidenceInput(
    kind=EvidenceKind.ACT,
    act_kind=ActKind.CONSIGLIO,
    act_number="17",
    act_date=PAST,
    url="https://albo.example.org/17",
)


def record(world, **fields):
    fields.setdefault("date", PAST)
    return record_progress(world.action_a, user=world.users["admin"], **fields)


def test_the_action_shows_its_latest_update(world):
    record(world, status="in_progress", progress=30, date=PAST.replace(year=2021))
    record(world, status="stalled", progress=40)
    record(world, status="in_progress", progress=35, date=PAST.replace(year=2022))
    world.action_a.refresh_from_db()
    assert (world.action_a.status, world.action_a.progress) == ("stalled", 40)


def test_updates_are_append_only(world, admin_user):
    update = record(world, status="in_progress", progress=10)
    update.note = "cambiata"
    with pytest.raises(AppendOnlyError):
        update.save()
    with pytest.raises(AppendOnlyError):
        update.delete()
    with pytest.raises(AppendOnlyError):
        ProgressUpdate.objects.filter(pk=update.pk).update(note="x")
    with pytest.raises(AppendOnlyError):
        ProgressUpdate.objects.all().delete()
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    model_admin = site._registry[ProgressUpdate]
    assert not model_admin.has_change_permission(request, update)
    assert not model_admin.has_delete_permission(request, update)
    assert not model_admin.has_add_permission(request)


def test_a_correction_points_at_the_update_it_corrects_and_replaces_it(world):
    wrong = record(world, status="in_progress", progress=80)
    fixed = record(world, status="in_progress", progress=50, corrects=wrong, note="Era 50, non 80")
    assert fixed.corrects == wrong
    assert current_update(world.action_a) == fixed
    world.action_a.refresh_from_db()
    assert world.action_a.progress == 50
    assert ProgressUpdate.objects.get(pk=wrong.pk).progress == 80
    body = Client().get(f"/borgo/actions/{world.action_a.pk}/").content.decode()
    assert "Corretto da un aggiornamento successivo" in body
    assert "Corregge l&#x27;aggiornamento del" in body or "Corregge l'aggiornamento del" in body


def test_a_claim_needs_a_source(world):
    with pytest.raises(ValidationError, match="serve una fonte"):
        record(world, status="done", progress=100)
    with pytest.raises(ValidationError, match="serve una fonte"):
        record(
            world,
            status="partially_done",
            progress=50,
            evidence=[EvidenceInput(kind="link", url="https://x.org")],
        )
    record(world, status="done", progress=100, evidence=[ACT])
    world.action_a.refresh_from_db()
    assert world.action_a.status == "done"


def test_an_act_needs_kind_number_date_and_link(world):
    incomplete = EvidenceInput(
        kind=EvidenceKind.ACT,
        act_kind=ActKind.GIUNTA,
        act_number="",
        act_date=PAST,
        url="https://albo.example.org/1",
    )
    with pytest.raises(ValidationError, match="tipo, numero e data"):
        record(world, status="done", progress=100, evidence=[incomplete])
    bad_link = EvidenceInput(
        kind=EvidenceKind.ACT,
        act_kind=ActKind.GIUNTA,
        act_number="1",
        act_date=PAST,
        url="javascript:alert(1)",
    )
    with pytest.raises(ValidationError, match="non valido"):
        record(world, status="done", progress=100, evidence=[bad_link])
    assert ProgressUpdate.objects.count() == 0


def test_the_portal_shows_the_source_beside_the_claim(world):
    record(world, status="done", progress=100, evidence=[ACT])
    body = Client().get(f"/borgo/sections/{world.action_a.section_id}/").content.decode()
    assert "Fonte:" in body
    assert "Delibera di Consiglio n. 17 del 10/05/2023" in body
    assert 'href="https://albo.example.org/17"' in body


def test_the_note_is_markdown_and_sanitised(world):
    update = record(
        world,
        status="in_progress",
        progress=10,
        note="**Gara** aggiudicata <script>alert(1)</script> [atto](javascript:alert(2)) [albo](https://albo.example.org)",
    )
    assert "<strong>Gara</strong>" in update.note_html
    assert "<script" not in update.note_html and "javascript:" not in update.note_html
    body = Client().get(f"/borgo/actions/{world.action_a.pk}/").content.decode()
    assert "<strong>Gara</strong>" in body
    assert "<script>alert(1)" not in body


def test_progress_must_be_within_range_and_dates_not_in_the_future(world):
    import datetime

    with pytest.raises(ValidationError):
        record(world, status="in_progress", progress=120)
    with pytest.raises(ValidationError):
        record(
            world, status="in_progress", progress=10, date=datetime.date.today() + datetime.timedelta(days=2)
        )
    assert ProgressUpdate.objects.count() == 0


def pdf_upload(name="relazione.pdf", data=b"%PDF-1.7\n%test\n"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_uploads_are_limited_in_size_and_type(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = 64
    cases = {
        "supera il limite": pdf_upload(data=b"%PDF-1.7\n" + b"x" * 100),
        "Tipo di file non ammesso": SimpleUploadedFile("virus.exe", b"MZ\x90\x00"),
        "non corrisponde": pdf_upload(data=b"\x89PNG\r\n\x1a\n fake"),
    }
    for message, upload in cases.items():
        with pytest.raises(ValidationError, match=message):
            record(
                world,
                status="partially_done",
                progress=50,
                evidence=[EvidenceInput(kind="document", upload=upload)],
            )
    assert ProgressUpdate.objects.count() == 0
    update = record(
        world,
        status="partially_done",
        progress=50,
        evidence=[EvidenceInput(kind="document", upload=pdf_upload())],
    )
    evidence = update.evidence.get()
    assert evidence.content_type == "application/pdf" and len(evidence.sha256) == 64
    response = Client().get(f"/borgo/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_back_office_form_shows_a_clear_message_and_changes_nothing(world):
    client = Client()
    client.force_login(world.users["admin"])
    url = f"/backoffice/actions/{world.action_a.pk}/update/"
    response = client.post(url, {"date": PAST.isoformat(), "status": "done", "progress": "100"})
    assert response.status_code == 200
    assert "serve una fonte" in response.content.decode()
    assert ProgressUpdate.objects.count() == 0
