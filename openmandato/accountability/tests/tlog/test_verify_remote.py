"""The independent verifier, run against a live server, catches each attack of issue 15 given the
checkpoint saved earlier, and verifies an honest site; it runs with the standard library and
`cryptography` alone."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from openmandato.accountability import tlog, verifier
from openmandato.accountability.models import Checkpoint

from .conftest import (
    delete_last_entries,
    document_evidence,
    raw,
    resign_from,
    rewrite_entry_and_recompute,
    set_action_directly,
)

VERIFIER = Path(verifier.__file__)


@pytest.fixture
def site(live_server, history):
    return f"{live_server.url}/borgo/"


@pytest.fixture
def saved(site):
    report = verifier.check_site(site)
    assert report.ok, report.lines
    return report.checkpoint


def failure(site, saved=None):
    report = verifier.check_site(site, saved)
    assert not report.ok, report.lines
    return report.lines[-1]


def test_an_honest_site_verifies_and_the_saved_checkpoint_still_matches(site, saved, history):
    text = "\n".join(verifier.check_site(site, saved).lines)
    for check in ("signature ok", "consistency ok", "inclusion ok", "replay ok: 2 actions", "files ok: 1"):
        assert check in text


def test_the_standalone_script_needs_no_django(site, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    script = tmp_path / "verifier.py"
    script.write_text(VERIFIER.read_text(encoding="utf-8"), encoding="utf-8")
    saved_file = tmp_path / "saved.json"
    command = [sys.executable, "-I", str(script), site, "--save", str(saved_file)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)  # noqa: S603
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout
    again = [sys.executable, "-I", str(script), site, "--checkpoint", str(saved_file)]
    assert subprocess.run(again, capture_output=True, timeout=120, env=env, cwd=tmp_path).returncode == 0  # noqa: S603


def test_verify_remote_command_saves_and_checks(site, tmp_path, capsys, history):
    saved_file = tmp_path / "saved.json"
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_remote", site, "--save", str(saved_file))
    assert exit_info.value.code == 0
    assert json.loads(saved_file.read_text())["vkey"] == tlog.verifier_key()
    set_action_directly(history.action_a, "in_progress", 50)
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_remote", site, "--checkpoint", str(saved_file))
    assert exit_info.value.code == 1
    assert f"replay: action {history.action_a.pk}" in capsys.readouterr().err


def test_it_catches_deleted_last_entries(site, saved, history):
    delete_last_entries(history.mandate, keep=3)
    assert "entries from #4 on are gone" in failure(site, saved)


def test_it_catches_a_truncation_with_the_checkpoints_deleted_and_re_signed(site, saved, history):
    delete_last_entries(history.mandate, keep=3)
    raw("DELETE FROM accountability_checkpoint WHERE tree_size > 3")
    message = failure(site, saved)
    assert "fewer than the" in message and "(truncated)" in message


def test_it_names_an_entry_rewritten_and_re_signed(site, saved, history):
    rewrite_entry_and_recompute(history.mandate, 2, "Mai fatto nulla")
    resign_from(history.mandate, 2)
    assert verifier.check_site(site).ok  # without the saved checkpoint, nothing to compare with...
    message = failure(site, saved)  # ...with it, the rewrite is plain
    assert "history rewritten" in message and "first bad entry #2" in message


def test_it_names_an_entry_rewritten_without_the_key(site, history):
    rewrite_entry_and_recompute(history.mandate, 2, "Mai fatto nulla")
    assert "first bad entry #2" in failure(site)


def test_it_catches_a_status_set_directly_in_the_database(site, saved, history):
    set_action_directly(history.action_b, "done", 100)
    message = failure(site, saved)
    assert f"action {history.action_b.pk}: published done 100%, but the log says in_progress 30%" in message


def test_it_catches_an_evidence_file_replaced_on_disk(site, saved, history):
    evidence = document_evidence()
    with open(evidence.file.path, "wb") as handle:
        handle.write(b"%PDF-1.4 another document\n")
    message = failure(site, saved)
    assert f"entry #{evidence.update.ledger_entry.seq}: evidence file" in message
    assert f"/borgo/evidence/{evidence.pk}/" in message


def test_it_rejects_a_forged_signature(site, history):
    checkpoint = tlog.latest(history.mandate)
    forged = checkpoint.note.replace(f"\n{checkpoint.tree_size}\n", f"\n{checkpoint.tree_size + 1}\n")
    raw("UPDATE accountability_checkpoint SET note = %s WHERE id = %s", [forged, checkpoint.pk])
    assert "does not verify" in failure(site)


def test_monitor_reports_the_first_inconsistency_between_rounds(site, history):
    def tamper(_seconds):
        if Checkpoint.objects.filter(mandate=history.mandate).count() > 3:
            rewrite_entry_and_recompute(history.mandate, 3, "Riscritto dopo")
            resign_from(history.mandate, 3)

    report = verifier.monitor(site, None, rounds=3, interval=0, sleep=tamper)
    assert not report.ok
    assert report.lines[0] == "round 2:" and "first bad entry #3" in report.lines[-1]
    honest = verifier.monitor(site, None, rounds=2, interval=0, sleep=lambda _s: None)
    assert honest.ok


def test_the_verifier_imports_only_the_standard_library_and_cryptography():
    import ast

    tree = ast.parse(VERIFIER.read_text(encoding="utf-8"))
    modules = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert modules - {"cryptography", "__future__"} <= sys.stdlib_module_names
    assert "cryptography" in modules and "django" not in modules and "openmandato" not in modules
