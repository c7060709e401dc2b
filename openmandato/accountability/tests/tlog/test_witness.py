"""Witnesses: another party cosigns checkpoints after checking consistency with the last one it saw; the
cosignatures are stored and served with the checkpoint; a rewritten history is refused."""

import json

import pytest
from django.core.management import call_command
from django.test import Client

from openmandato.accountability import tlog, verifier
from openmandato.accountability.models import Cosignature
from openmandato.accountability.services import record_progress
from openmandato.tests.fixtures import PAST

from .conftest import resign_from, rewrite_entry_and_recompute

NAME = "giornale.example/witness"


@pytest.fixture
def witness_key(tmp_path, tlog_settings, capsys):
    key_file = str(tmp_path / "witness.pem")
    call_command("witness", "--key", key_file, "--name", NAME, "--print-key")
    vkey = capsys.readouterr().out.strip()
    tlog_settings.TLOG_WITNESSES = [vkey]
    return key_file, vkey


def run_witness(site, key_file, state_file, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("witness", site, "--key", key_file, "--name", NAME, "--state", str(state_file))
        raise SystemExit(0)
    out = capsys.readouterr()
    return exit_info.value.code, out.out, out.err


def test_a_witness_cosigns_consistent_checkpoints_and_refuses_a_rewrite(
    live_server, history, witness_key, tmp_path, capsys
):
    key_file, vkey = witness_key
    site, state = f"{live_server.url}/borgo/", tmp_path / "state.json"
    code, out, err = run_witness(site, key_file, state, capsys)
    assert code == 0, err
    first = tlog.latest(history.mandate)
    assert f"cosigned {first.tree_size}" in out
    cosignature = Cosignature.objects.get(checkpoint=first)
    served = Client().get("/api/v1/tlog/borgo/checkpoint.json").json()
    assert served["cosignatures"] == [cosignature.line]
    assert served["note"].endswith(cosignature.line)  # the note carries the cosignature line too
    assert verifier.verify_cosignature(
        tlog.body_of(first), cosignature.line, verifier.VerifierKey.parse(vkey)
    )
    report = verifier.check_site(site, witnesses=[verifier.VerifierKey.parse(vkey)])
    assert report.ok and f"cosignature ok: {NAME}" in report.lines

    record_progress(
        history.action_b, user=history.users["admin"], status="in_progress", progress=50, date=PAST
    )
    code, out, _err = run_witness(site, key_file, state, capsys)
    assert code == 0 and f"cosigned {first.tree_size + 1}" in out

    rewrite_entry_and_recompute(history.mandate, 2, "Storia riscritta")
    resign_from(history.mandate, 2)
    record_progress(
        history.action_b, user=history.users["admin"], status="in_progress", progress=60, date=PAST
    )
    code, _out, err = run_witness(site, key_file, state, capsys)
    assert code == 1 and "not consistent" in err and "history rewritten" in err
    assert not Cosignature.objects.filter(checkpoint=tlog.latest(history.mandate)).exists()
    assert json.loads(state.read_text())["note"].split("\n")[1] == str(first.tree_size + 1)


def test_the_site_accepts_only_valid_cosignatures_of_known_witnesses(history, witness_key, tmp_path):
    key_file, _vkey = witness_key
    checkpoint = tlog.latest(history.mandate)
    url = f"/api/v1/tlog/borgo/checkpoints/{checkpoint.tree_size}/cosignatures"
    key = verifier.load_witness_key(key_file)
    good = verifier.cosign(tlog.body_of(checkpoint), NAME, key)
    client = Client()
    stranger = verifier.load_witness_key(str(tmp_path / "stranger.pem"), generate=True)
    line = verifier.cosign(tlog.body_of(checkpoint), "x.example", stranger)
    unknown = client.post(url, {"cosignature": line}, content_type="application/json")
    assert unknown.status_code == 403 and "unknown witness" in unknown.json()["detail"]
    forged = verifier.cosign(tlog.body_of(checkpoint), NAME, stranger)
    response = client.post(url, {"cosignature": forged}, content_type="application/json")
    assert response.status_code == 400 and "not made by" in response.json()["detail"]
    other_body = verifier.cosign(tlog.body_of(checkpoint).replace("\n", "\n\n", 1), NAME, key)
    response = client.post(url, {"cosignature": other_body}, content_type="application/json")
    assert response.status_code == 400 and "does not verify" in response.json()["detail"]
    for junk in ("", "\u2014 x", "<script>alert(1)</script>", "\x00" * 10):
        response = client.post(url, {"cosignature": junk}, content_type="application/json")
        assert response.status_code == 400
    assert not Cosignature.objects.exists()
    response = client.post(url, {"cosignature": good}, content_type="application/json")
    assert response.status_code == 201 and Cosignature.objects.get().line == good
