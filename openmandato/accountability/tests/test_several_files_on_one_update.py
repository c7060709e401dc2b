"""One update can carry several uploaded documents (bounded in number), all shown as its sources."""

import html

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openmandato.accountability.models import Evidence, ProgressUpdate
from openmandato.tests.fixtures import PAST

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


def pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def post(world, files):
    client = Client()
    client.force_login(world.users["manager_a"])
    return client.post(
        f"/backoffice/actions/{world.action_a.pk}/update/",
        {"date": PAST.isoformat(), "status": "partially_done", "progress": "50", "document": files},
    )


def test_two_documents_become_two_sources(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert post(world, [pdf("progetto.pdf"), pdf("collaudo.pdf")]).status_code == 302
    update = ProgressUpdate.objects.get()
    assert sorted(update.evidence.values_list("original_name", flat=True)) == ["collaudo.pdf", "progetto.pdf"]
    public = Client().get(f"/borgo/actions/{world.action_a.pk}/").content.decode()
    assert "progetto.pdf" in public and "collaudo.pdf" in public


def test_more_than_five_documents_are_refused_and_nothing_is_stored(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = post(world, [pdf(f"f{index}.pdf") for index in range(6)])
    assert response.status_code == 200
    assert "Al massimo 5 documenti per aggiornamento." in html.unescape(response.content.decode())
    assert not Evidence.objects.exists() and not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_one_bad_file_among_good_ones_stops_the_whole_update(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = post(world, [pdf("buono.pdf"), fake])
    assert response.status_code == 200
    assert not ProgressUpdate.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
