import base64
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from openmandato.accountability import ledger
from openmandato.accountability.models import ActKind, Checkpoint, EvidenceKind, LedgerEntry
from openmandato.accountability.services import EvidenceInput, record_progress
from openmandato.tests.fixtures import PAST

DOCS = Path(__file__).resolve().parents[3] / "docs" / "ledger.md"


@pytest.fixture
def history(world):
    admin = world.users["admin"]
    first = record_progress(
        world.action_a, user=admin, status="in_progress", progress=20, date=PAST, note="Avvio"
    )
    act = EvidenceInput(
        kind=EvidenceKind.ACT,
        act_kind=ActKind.GIUNTA,
        act_number="42",
        act_date=PAST,
        url="https://albo.example.org/delibera/42",
    )
    second = record_progress(
        world.action_a, user=admin, status="done", progress=100, date=PAST, note="Fatto", evidence=[act]
    )
    third = record_progress(
        world.action_b, user=admin, status="stalled", progress=10, date=PAST, note="Città ferma"
    )
    return [first, second, third]


def verify(capsys, *args):
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_ledger", *args)
        raise SystemExit(0)
    out = capsys.readouterr()
    return exit_info.value.code, out.out, out.err


def test_every_update_is_chained_per_mandate(world, history):
    entries = list(LedgerEntry.objects.filter(mandate=world.mandate).order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == ledger.GENESIS
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].hash == ledger.chain_hash(ledger.update_data(history[2]), entries[1].hash)


def test_verify_ledger_passes_when_intact(world, history, capsys):
    code, out, _err = verify(capsys, "--municipality", "borgo")
    assert code == 0
    assert "OK borgo" in out and "3 voci" in out


def test_verify_ledger_names_a_row_changed_directly_in_the_database(world, history, capsys):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accountability_progressupdate SET note = %s WHERE id = %s", ["Riscritto", history[1].pk]
        )
    code, _out, err = verify(capsys)
    assert code == 1
    assert f"#2 (update {history[1].pk}): content does not match" in err


def test_verify_ledger_notices_changed_evidence_and_removed_entries(world, history, capsys):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accountability_evidence SET act_number = '43'")
    code, _out, err = verify(capsys)
    assert code == 1 and "#2" in err
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accountability_evidence SET act_number = '42'")
        cursor.execute("DELETE FROM accountability_ledgerentry WHERE seq = 2")
    code, _out, err = verify(capsys)
    assert code == 1 and "#3: expected entry #2" in err


def standalone_script() -> str:
    return re.search(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S).group(1)


def run_script(tmp_path, document) -> subprocess.CompletedProcess:
    script, data = tmp_path / "verify.py", tmp_path / "ledger.json"
    script.write_text(standalone_script(), encoding="utf-8")
    data.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    command = [sys.executable, str(script), str(data)]
    return subprocess.run(command, capture_output=True, text=True, timeout=30)  # noqa: S603


def test_the_published_ledger_verifies_with_the_documented_script(world, history, tmp_path):
    response = Client().get("/borgo/ledger.json")
    assert response.status_code == 200
    document = response.json()
    assert len(document["entries"]) == 3
    result = run_script(tmp_path, document)
    assert result.returncode == 0, result.stderr
    assert document["head"] in result.stdout
    document["entries"][0]["data"]["note"] = "Storia riscritta"
    tampered = run_script(tmp_path, document)
    assert tampered.returncode != 0
    assert "entry #1 does not verify" in tampered.stderr


def test_the_latest_checkpoint_is_in_the_portal_footer(world, history):
    checkpoint = Checkpoint.objects.filter(mandate=world.mandate).order_by("-tree_size").first()
    assert checkpoint.tree_size == 3
    body = Client().get("/borgo/").content.decode()
    assert base64.b64encode(bytes.fromhex(checkpoint.root_hash)).decode() in body and "3 voci" in body
    assert checkpoint.note.split("\n")[2] in body  # the root exactly as checkpoint.txt writes it
    assert "/borgo/checkpoint.txt" in body
    action_page = Client().get(f"/borgo/actions/{world.action_a.pk}/").content.decode()
    assert LedgerEntry.objects.get(seq=2, mandate=world.mandate).hash in action_page
