"""verify_ledger catches each attack of issue 15, done with raw SQL or on disk, naming the first bad entry
or the inconsistency; an honest history verifies."""

import pytest
from django.core.management import call_command

from openmandato.accountability import tlog, verifier
from openmandato.accountability.models import Checkpoint, LedgerEntry

from .conftest import (
    delete_last_entries,
    document_evidence,
    raw,
    resign_from,
    rewrite_entry_and_recompute,
    save,
    set_action_directly,
)


def verify(capsys, *args):
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_ledger", "--municipality", "borgo", *args)
        raise SystemExit(0)
    out = capsys.readouterr()
    return exit_info.value.code, out.out, out.err


def test_every_write_signs_a_checkpoint_over_the_tree(history):
    entries = list(LedgerEntry.objects.filter(mandate=history.mandate).order_by("seq"))
    assert [e.kind for e in entries][:4] == ["update", "update", "update", "correction"]
    assert "measurement" in [e.kind for e in entries]
    checkpoints = list(Checkpoint.objects.filter(mandate=history.mandate).order_by("tree_size"))
    assert [c.tree_size for c in checkpoints] == list(range(1, len(entries) + 1))
    key = verifier.VerifierKey.parse(tlog.verifier_key())
    leaves = [verifier.leaf_hash(e.body.encode()) for e in entries]
    for checkpoint in checkpoints:
        body = verifier.verify_note(checkpoint.note, key)
        parsed = verifier.Checkpoint.parse(checkpoint.note)
        assert parsed.origin == f"test.openmandato/borgo/{history.mandate.pk}"
        assert body.endswith(f"\n{checkpoint.tree_size}\n{verifier.b64(parsed.root)}\n")
        assert parsed.root == verifier.root_hash(leaves[: checkpoint.tree_size])
    assert tlog.key_path().stat().st_mode & 0o077 == 0  # the private key is readable by its owner only


def test_an_honest_history_verifies(history, capsys):
    code, out, err = verify(capsys)
    assert code == 0, err
    assert "OK borgo" in out


def test_it_reports_deleted_last_entries(history, capsys):
    size = LedgerEntry.objects.filter(mandate=history.mandate).count()
    delete_last_entries(history.mandate, keep=3)
    code, _out, err = verify(capsys)
    assert code == 1
    assert f"the log has 3 entries but a checkpoint of size {size} was signed: entries from #4 on" in err


def test_it_reports_deleted_entries_even_when_the_checkpoints_go_too(history, capsys, tmp_path):
    saved = save(tmp_path, tlog.saved_state(history.mandate))
    delete_last_entries(history.mandate, keep=3)
    raw("DELETE FROM accountability_checkpoint WHERE tree_size > 3")
    code, _out, err = verify(capsys, "--checkpoint", saved)
    assert code == 1
    assert "but the saved checkpoint has" in err and "entries from #4 on were deleted" in err


def test_it_names_an_entry_rewritten_with_every_later_hash_recomputed(history, capsys):
    rewrite_entry_and_recompute(history.mandate, 2, "Mai fatto nulla")
    code, _out, err = verify(capsys)
    assert code == 1
    assert "#2 (update" in err and "the signed checkpoint of size 2 does not match" in err


def test_it_names_a_rewrite_re_signed_with_the_key_given_the_saved_checkpoint(history, capsys, tmp_path):
    saved = save(tmp_path, tlog.saved_state(history.mandate))
    rewrite_entry_and_recompute(history.mandate, 2, "Mai fatto nulla")
    resign_from(history.mandate, 2)
    code, _out, _err = verify(capsys)
    assert code == 0  # a perfect forgery as far as the server alone can tell...
    code, _out, err = verify(capsys, "--checkpoint", saved)
    assert code == 1  # ...but not for whoever kept the earlier checkpoint
    assert "inconsistent with the saved checkpoint" in err and "first bad entry #2" in err


def test_it_reports_a_status_set_directly_in_programs_action(history, capsys):
    set_action_directly(history.action_b, "done", 100)
    code, _out, err = verify(capsys)
    assert code == 1
    assert (
        f"replay: action {history.action_b.pk}: published done 100%, but the log says in_progress 30%" in err
    )


def test_it_reports_an_evidence_file_replaced_on_disk(history, capsys):
    evidence = document_evidence()
    seq = evidence.update.ledger_entry.seq
    with open(evidence.file.path, "wb") as handle:
        handle.write(b"%PDF-1.4 a different document\n")
    code, _out, err = verify(capsys)
    assert code == 1
    assert f"#{seq}: evidence file {evidence.file.name} does not match its SHA-256" in err


def test_a_missing_evidence_file_is_a_failure(history, capsys):
    evidence = document_evidence()
    evidence.file.storage.delete(evidence.file.name)
    code, _out, err = verify(capsys)
    assert code == 1 and "is missing" in err


def test_a_forged_checkpoint_signature_is_reported(history, capsys):
    checkpoint = Checkpoint.objects.filter(mandate=history.mandate).order_by("tree_size").first()
    forged = checkpoint.note.replace("\n1\n", "\n2\n", 1)
    raw("UPDATE accountability_checkpoint SET note = %s WHERE id = %s", [forged, checkpoint.pk])
    code, _out, err = verify(capsys)
    assert code == 1 and "checkpoint of size 1: the signature of test.openmandato does not verify" in err


def test_participation_events_are_logged_and_verified(history, capsys):
    from openmandato.accountability import ledger

    entry = ledger.append_event(history.mandate, "official_answer", {"question": 7, "text": "Risposta"})
    assert entry.kind == "participation"
    assert tlog.latest(history.mandate).tree_size == entry.seq
    assert verify(capsys)[0] == 0
    raw(
        "UPDATE accountability_ledgerentry SET body = %s WHERE id = %s",
        ['{"kind":"participation"}', entry.pk],
    )
    code, _out, err = verify(capsys)
    assert code == 1 and f"#{entry.seq} (participation)" in err


def test_no_write_goes_over_a_truncated_log(history):
    from django.core.exceptions import ValidationError

    from openmandato.accountability.services import record_progress
    from openmandato.tests.fixtures import PAST

    delete_last_entries(history.mandate, keep=3)
    before = LedgerEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        record_progress(
            history.action_b, user=history.users["admin"], status="stalled", progress=5, date=PAST
        )
    assert error.value.code == "log_truncated"
    assert LedgerEntry.objects.count() == before
