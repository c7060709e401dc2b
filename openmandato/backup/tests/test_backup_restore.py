"""A backup restores the instance (or one municipality) with every ledger verifying and every
evidence file matching its SHA-256; a backup without its files is refused."""

import datetime
import hashlib
import json
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from openmandato.accountability import ledger
from openmandato.accountability.models import Checkpoint, Evidence, LedgerEntry, ProgressUpdate
from openmandato.accountability.services import EvidenceInput, record_progress
from openmandato.backup.services import BackupError, evidence_problems, restore
from openmandato.core.models import Membership
from openmandato.programs.models import Action, Mandate, Municipality
from openmandato.tests.fixtures import make_user

pytestmark = pytest.mark.django_db(transaction=True)  # flush needs a real transaction on PostgreSQL

PDF = b"%PDF-1.4\n% evidence for the round trip\n" + bytes(range(256)) * 40


@pytest.fixture
def instance(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media-before"
    admin = make_user("sindaca")
    municipality = Municipality.objects.get(slug="valenza")
    Membership.objects.create(user=admin, municipality=municipality, role="administrator")
    action = Mandate.objects.get(municipality=municipality).actions.active().leaves().first()
    record_progress(
        action,
        user=admin,
        status="in_progress",
        progress=30,
        date=datetime.date.today(),
        note="Con delibera allegata",
        evidence=[EvidenceInput(kind="document", title="Delibera", upload=SimpleUploadedFile("d.pdf", PDF))],
    )
    return municipality


def snapshot():
    return {
        "updates": sorted(ProgressUpdate.objects.values_list("pk", "created_at")),
        "ledger": sorted(LedgerEntry.objects.values_list("mandate_id", "seq", "hash")),
        "evidence": sorted(Evidence.objects.exclude(file="").values_list("file", "sha256")),
        "roles": sorted(Membership.objects.values_list("user__username", "municipality__slug", "role")),
    }


def wipe():
    call_command("flush", interactive=False, verbosity=0)


def every_ledger_verifies():
    return all(ledger.verify(m).ok for m in Mandate.objects.all()) and Mandate.objects.exists()


def test_the_whole_instance_round_trips(instance, settings, tmp_path, capsys):
    before = snapshot()
    assert any(at.microsecond % 1000 for _pk, at in before["updates"])  # below a millisecond
    call_command("backup", str(tmp_path / "backup"))
    wipe()
    settings.MEDIA_ROOT = tmp_path / "media-after"
    call_command("restore", str(tmp_path / "backup"))
    assert "every ledger verified" in capsys.readouterr().out
    assert snapshot() == before
    assert every_ledger_verifies()
    for name, sha in before["evidence"]:
        assert hashlib.sha256((tmp_path / "media-after" / name).read_bytes()).hexdigest() == sha
    assert evidence_problems() == []


def test_one_municipality_round_trips_on_its_own(instance, settings, tmp_path):
    before = snapshot()
    call_command("backup", str(tmp_path / "valenza"), "--municipality", "valenza")
    wipe()
    settings.MEDIA_ROOT = tmp_path / "media-after"
    call_command("restore", str(tmp_path / "valenza"))
    assert list(Municipality.objects.values_list("slug", flat=True)) == ["valenza"]
    assert every_ledger_verifies()
    valenza = {key: [row for row in rows if "cremona" not in str(row)] for key, rows in before.items()}
    after = snapshot()
    assert after["roles"] == [r for r in valenza["roles"] if r[1] == "valenza"]
    assert after["evidence"] == before["evidence"] and evidence_problems() == []


def test_a_backup_without_its_files_or_with_altered_files_is_refused(instance, settings, tmp_path):
    call_command("backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    (name,) = manifest["files"]
    wipe()
    settings.MEDIA_ROOT = tmp_path / "media-after"
    (tmp_path / "backup" / "media" / name).write_bytes(PDF + b"tampered")
    with pytest.raises(BackupError, match="missing or altered"):
        restore(tmp_path / "backup")
    shutil.rmtree(tmp_path / "backup" / "media")
    with pytest.raises(BackupError, match="missing or altered"):
        restore(tmp_path / "backup")
    assert not Municipality.objects.exists()


def test_missing_media_is_reported(instance, settings, tmp_path):
    assert evidence_problems() == []
    shutil.rmtree(settings.MEDIA_ROOT)
    problems = evidence_problems()
    assert len(problems) == 1 and "is missing" in problems[0]
    with pytest.raises(SystemExit):
        call_command("backup", str(tmp_path / "backup"))


def test_restore_refuses_to_overwrite_a_municipality_already_there(instance, tmp_path):
    call_command("backup", str(tmp_path / "backup"), "--municipality", "cremona")
    with pytest.raises(BackupError, match="already on this instance: cremona"):
        restore(tmp_path / "backup")


def test_checkpoints_round_trip_with_the_log(instance, settings, tmp_path):
    before = sorted(Checkpoint.objects.values_list("mandate__municipality__slug", "tree_size", "root_hash"))
    assert before  # every write signs one
    call_command("backup", str(tmp_path / "backup"))
    wipe()
    call_command("restore", str(tmp_path / "backup"))
    after = sorted(Checkpoint.objects.values_list("mandate__municipality__slug", "tree_size", "root_hash"))
    assert after == before


def test_a_backup_never_overwrites_another_comunes_rows_that_took_its_ids(instance, tmp_path):
    call_command("backup", str(tmp_path / "backup"), "--municipality", "cremona")
    cremona = Municipality.objects.get(slug="cremona")
    ids = set(Action.objects.filter(mandate__municipality=cremona).values_list("pk", flat=True))
    Municipality.objects.filter(pk=cremona.pk).update(slug="cremona-vecchia")  # its ids stay taken
    with pytest.raises(BackupError, match="ids already used on this instance"):
        restore(tmp_path / "backup")
    assert set(Action.objects.filter(mandate__municipality=cremona).values_list("pk", flat=True)) == ids
    assert Municipality.objects.get(pk=cremona.pk).slug == "cremona-vecchia"
