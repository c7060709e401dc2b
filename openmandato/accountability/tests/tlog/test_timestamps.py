"""RFC 3161 timestamps of checkpoints from a real local TSA (openssl ts): requested after each write when
TSA_URL is set, stored, served and verified; a forged or foreign timestamp is rejected."""

import base64
import hashlib

import pytest
from django.core.management import call_command
from django.test import Client

from openmandato.accountability import tlog, verifier
from openmandato.accountability.models import CheckpointTimestamp
from openmandato.accountability.services import record_progress
from openmandato.tests.fixtures import PAST

from .conftest import raw
from .tsa import LocalTSA, make_authority


@pytest.fixture
def stamped(history, local_tsa, tlog_settings, django_capture_on_commit_callbacks):
    tlog_settings.TSA_URL = local_tsa.url
    tlog_settings.TSA_CA_FILE = local_tsa.ca_file
    with django_capture_on_commit_callbacks(execute=True):
        update = record_progress(
            history.action_b, user=history.users["admin"], status="in_progress", progress=40, date=PAST
        )
    return tlog.latest(history.mandate), update


def test_a_checkpoint_is_timestamped_after_a_write_and_served(stamped, local_tsa):
    checkpoint, _update = stamped
    stamp = CheckpointTimestamp.objects.get(checkpoint=checkpoint)
    assert stamp.tsa_url == local_tsa.url
    digest = hashlib.sha256(tlog.body_of(checkpoint).encode()).digest()
    result = verifier.verify_timestamp(
        bytes(stamp.token), digest, verifier.load_certificates(local_tsa.ca_file)
    )
    assert result.signer == "CN=Test TSA" and result.time == stamp.gen_time
    served = Client().get("/api/v1/tlog/borgo/checkpoint.json").json()
    assert base64.b64decode(served["timestamp"]) == bytes(stamp.token)


def test_sign_checkpoints_timestamps_what_is_missing(history, local_tsa, tlog_settings):
    tlog_settings.TSA_URL = local_tsa.url
    assert not CheckpointTimestamp.objects.exists()  # TSA was off when these were written
    call_command("sign_checkpoints")
    assert CheckpointTimestamp.objects.count() == tlog.latest(history.mandate).tree_size


def test_a_forged_timestamp_is_rejected(stamped, local_tsa):
    checkpoint, _update = stamped
    token = bytes(CheckpointTimestamp.objects.get(checkpoint=checkpoint).token)
    digest = hashlib.sha256(tlog.body_of(checkpoint).encode()).digest()
    trusted = verifier.load_certificates(local_tsa.ca_file)
    # For another checkpoint:
    with pytest.raises(verifier.VerificationError, match="another document"):
        verifier.verify_timestamp(token, hashlib.sha256(b"another").digest(), trusted)
    # The signed time changed (one digit of genTime), signature left as it was:
    at = token.index(b"\x18\x0f") + 2  # GeneralizedTime, 15 bytes
    forged = token[:at] + bytes([token[at] ^ 1]) + token[at + 1 :]
    with pytest.raises(verifier.VerificationError, match="signed attributes do not match"):
        verifier.verify_timestamp(forged, digest, trusted)
    # The signature itself damaged:
    broken = token[:-5] + bytes([token[-5] ^ 0xFF]) + token[-4:]
    with pytest.raises(verifier.VerificationError):
        verifier.verify_timestamp(broken, digest, trusted)


def test_a_timestamp_from_an_untrusted_tsa_is_rejected(stamped, local_tsa, tlog_settings, tmp_path):
    checkpoint, _update = stamped
    digest = hashlib.sha256(tlog.body_of(checkpoint).encode()).digest()
    tlog_settings.TSA_CA_FILE = ""
    with LocalTSA(make_authority(tmp_path / "rogue", "Rogue")) as rogue:
        token = tlog.request_timestamp(rogue.url, digest)
    assert verifier.verify_timestamp(token, digest).signer == "CN=Rogue TSA"  # valid in itself...
    with pytest.raises(verifier.VerificationError, match="untrusted TSA"):  # ...but not from our TSA
        verifier.verify_timestamp(token, digest, verifier.load_certificates(local_tsa.ca_file))
    tlog_settings.TSA_CA_FILE = local_tsa.ca_file
    with (
        LocalTSA(make_authority(tmp_path / "rogue2", "Rogue")) as rogue,
        pytest.raises(tlog.TimestampError, match="untrusted TSA"),
    ):
        tlog.request_timestamp(rogue.url, digest)


def test_verify_ledger_reports_a_forged_timestamp_stored_in_the_database(stamped, capsys):
    checkpoint, _update = stamped
    stamp = CheckpointTimestamp.objects.get(checkpoint=checkpoint)
    token = bytes(stamp.token)
    forged = token[:-5] + bytes([token[-5] ^ 0xFF]) + token[-4:]
    raw("UPDATE accountability_checkpointtimestamp SET token = %s WHERE id = %s", [forged, stamp.pk])
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_ledger", "--municipality", "borgo")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert f"checkpoint of size {checkpoint.tree_size}: the timestamp signature does not verify" in err


def test_the_remote_verifier_checks_the_timestamp_and_rejects_a_forged_one(
    live_server, history, local_tsa, tlog_settings
):
    tlog_settings.TSA_URL = local_tsa.url
    tlog_settings.TSA_CA_FILE = local_tsa.ca_file
    record_progress(
        history.action_b, user=history.users["admin"], status="in_progress", progress=40, date=PAST
    )
    site, trusted = f"{live_server.url}/borgo/", verifier.load_certificates(local_tsa.ca_file)
    report = verifier.check_site(site, trusted_tsa=trusted)
    assert report.ok, report.lines
    assert any(line.startswith("timestamp ok:") and "CN=Test TSA" in line for line in report.lines)
    stamp = CheckpointTimestamp.objects.get(checkpoint=tlog.latest(history.mandate))
    token = bytes(stamp.token)
    forged = token[:-5] + bytes([token[-5] ^ 0xFF]) + token[-4:]
    raw("UPDATE accountability_checkpointtimestamp SET token = %s WHERE id = %s", [forged, stamp.pk])
    report = verifier.check_site(site, trusted_tsa=trusted)
    assert not report.ok and "the timestamp signature does not verify" in report.lines[-1]
