"""Existing hash chains become Merkle leaves without losing their verifiable history."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from openmandato.accountability import ledger, verifier
from openmandato.accountability.models import Checkpoint, LedgerEntry

from .conftest import raw

MIGRATION = "openmandato.accountability.migrations.0004_backfill_transparency_log"
backfill = importlib.import_module(MIGRATION).backfill


def test_the_migration_turns_old_chains_into_leaves_and_keeps_the_chain(history, capsys):
    before = list(LedgerEntry.objects.order_by("pk").values("pk", "seq", "prev_hash", "hash", "body", "kind"))
    # The state an upgraded site starts from: chains only, no bodies, no checkpoints.
    raw("UPDATE accountability_ledgerentry SET body = '', leaf_hash = '', kind = 'update'")
    raw("DELETE FROM accountability_checkpoint")
    backfill(apps, None)
    after = list(LedgerEntry.objects.order_by("pk").values("pk", "seq", "prev_hash", "hash", "body", "kind"))
    assert after == before  # same chain hashes, same bodies and kinds as entries written by the new code
    for entry in ledger.entries(history.mandate):
        assert entry.leaf_hash == verifier.leaf_hash(entry.body.encode()).hex()
        assert entry.hash == ledger.chain_hash(ledger.entry_data(entry), entry.prev_hash)
    call_command("sign_checkpoints")
    checkpoint = Checkpoint.objects.get(mandate=history.mandate)
    assert checkpoint.tree_size == len(before)
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_ledger", "--municipality", "borgo")
        raise SystemExit(0)
    assert exit_info.value.code == 0, capsys.readouterr().err


def test_a_row_tampered_before_the_migration_stays_reported(history, capsys):
    raw("UPDATE accountability_ledgerentry SET body = '', leaf_hash = ''")
    raw("DELETE FROM accountability_checkpoint")
    first = LedgerEntry.objects.get(mandate=history.mandate, seq=1)
    raw("UPDATE accountability_progressupdate SET note = 'Riscritto' WHERE id = %s", [first.update_id])
    backfill(apps, None)
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_ledger", "--municipality", "borgo")
    assert exit_info.value.code == 1
    assert f"#1 (update {first.update_id}): content does not match" in capsys.readouterr().err
