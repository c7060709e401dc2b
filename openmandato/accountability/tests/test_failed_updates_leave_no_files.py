"""An update that fails after its documents were stored removes them again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openmandato.accountability import ledger, services
from openmandato.accountability.services import EvidenceInput, record_progress
from openmandato.tests.fixtures import PAST


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
