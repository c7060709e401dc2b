"""Shared set-up of the transparency-log tests: a history with every kind of entry, and the attacks
an insider could make directly in the database or on disk."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from openmandato.accountability import ledger, verifier
from openmandato.accountability.models import ActKind, Evidence, EvidenceKind, LedgerEntry
from openmandato.accountability.services import EvidenceInput, add_indicator, add_measurement, record_progress
from openmandato.tests.fixtures import PAST

PDF = b"%PDF-1.4\n% a real enough document\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def tlog_settings(settings, tmp_path):
    settings.TLOG_KEY_FILE = tmp_path / "keys" / "checkpoint.pem"
    settings.TLOG_NAME = "test.openmandato"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TSA_URL = ""
    settings.API_RATE_ANON = "100000/m"
    return settings


@pytest.fixture
def history(world, tlog_settings):
    """Five entries: an update, a claim with an act and an uploaded document, an update of another action,
    a correction of it, a measurement."""
    admin = world.users["admin"]
    record_progress(world.action_a, user=admin, status="in_progress", progress=20, date=PAST, note="Avvio")
    act = EvidenceInput(
        kind=EvidenceKind.ACT,
        act_kind=ActKind.GIUNTA,
        act_number="42",
        act_date=PAST,
        url="https://albo.example.org/delibera/42",
    )
    document = EvidenceInput(
        kind=EvidenceKind.DOCUMENT,
        upload=SimpleUploadedFile("collaudo.pdf", PDF, content_type="application/pdf"),
    )
    record_progress(
        world.action_a,
        user=admin,
        status="done",
        progress=100,
        date=PAST,
        note="Fatto",
        evidence=[act, document],
    )
    wrong = record_progress(
        world.action_b, user=admin, status="stalled", progress=10, date=PAST, note="Ferma"
    )
    record_progress(
        world.action_b,
        user=admin,
        status="in_progress",
        progress=30,
        date=PAST,
        note="Riparte",
        corrects=wrong,
    )
    indicator = add_indicator(
        world.action_b,
        user=admin,
        name="Spettacoli",
        unit="n.",
        baseline=Decimal(0),
        baseline_date=PAST - datetime.timedelta(days=30),
        target=Decimal(10),
        target_date=PAST + datetime.timedelta(days=300),
    )
    add_measurement(indicator, user=admin, date=PAST, value=Decimal(3))
    return world


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def rewrite_entry_and_recompute(mandate, seq: int, note: str) -> None:
    """The determined insider: change an update's note, then recompute body, leaf and chain hashes of that
    entry and of every later one, all with raw SQL."""
    entry = LedgerEntry.objects.get(mandate=mandate, seq=seq)
    raw("UPDATE accountability_progressupdate SET note = %s WHERE id = %s", [note, entry.update_id])
    prev = LedgerEntry.objects.get(mandate=mandate, seq=seq - 1).hash if seq > 1 else ledger.GENESIS
    for later in ledger.entries(mandate).filter(seq__gte=seq):
        data = ledger.entry_data(later)
        body = ledger.canonical_json(data)
        digest = ledger.chain_hash(data, prev)
        raw(
            "UPDATE accountability_ledgerentry SET body = %s, leaf_hash = %s, prev_hash = %s, hash = %s "
            "WHERE id = %s",
            [body, verifier.leaf_hash(body.encode()).hex(), prev, digest, later.pk],
        )
        prev = digest


def resign_from(mandate, size: int) -> None:
    """The insider also holds the signing key: drop the checkpoints from `size` on and sign anew."""
    from openmandato.accountability import tlog

    raw(
        "DELETE FROM accountability_cosignature WHERE checkpoint_id IN "
        "(SELECT id FROM accountability_checkpoint WHERE mandate_id = %s AND tree_size >= %s)",
        [mandate.pk, size],
    )
    raw(
        "DELETE FROM accountability_checkpoint WHERE mandate_id = %s AND tree_size >= %s",
        [mandate.pk, size],
    )
    tlog.sign_checkpoint(mandate)


def delete_last_entries(mandate, keep: int) -> None:
    raw("DELETE FROM accountability_ledgerentry WHERE mandate_id = %s AND seq > %s", [mandate.pk, keep])


def set_action_directly(action, status: str, progress: int) -> None:
    raw("UPDATE programs_action SET status = %s, progress = %s WHERE id = %s", [status, progress, action.pk])


def document_evidence() -> Evidence:
    return Evidence.objects.exclude(file="").get()


def save(tmp_path, state) -> str:
    target = tmp_path / "saved-checkpoint.json"
    target.write_text(json.dumps(state), encoding="utf-8")
    return str(target)


@pytest.fixture(scope="session")
def local_tsa(tmp_path_factory):
    from .tsa import LocalTSA, make_authority

    with LocalTSA(make_authority(tmp_path_factory.mktemp("tsa"))) as authority:
        yield authority
