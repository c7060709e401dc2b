"""Backup and restore of the whole instance or of one municipality: every row (at full timestamp
precision, so every ledger still verifies), the roles and the users they name, and the evidence files
with their SHA-256. A restore is one transaction; it is checked before it is committed: every ledger
verifies and every evidence file is present with the SHA-256 recorded when it was uploaded."""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, transaction

from openmandato.accountability import ledger
from openmandato.accountability.models import (
    Checkpoint,
    CheckpointTimestamp,
    Cosignature,
    Evidence,
    Indicator,
    LedgerEntry,
    Measurement,
    ProgressUpdate,
)
from openmandato.api.models import ApiToken
from openmandato.core.models import AuditEntry, Membership
from openmandato.programs.models import Action, Area, Mandate, Municipality, Principle, Section

FORMAT = 1
MOVED_MODELS = {
    "accountability.membership": "core.membership",
    "accountability.auditentry": "core.auditentry",
}
DATA_FILE = "data.json"
MANIFEST_FILE = "manifest.json"
MEDIA_DIR = "media"

# (model, path from the model to its municipality), parents before children.
SCOPED = [
    (Municipality, "pk"),
    (Area, "municipality"),
    (Mandate, "municipality"),
    (Principle, "mandate__municipality"),
    (Section, "mandate__municipality"),
    (Action, "mandate__municipality"),
    (Membership, "municipality"),
    (ProgressUpdate, "action__mandate__municipality"),
    (Evidence, "update__action__mandate__municipality"),
    (Indicator, "action__mandate__municipality"),
    (Measurement, "indicator__action__mandate__municipality"),
    (LedgerEntry, "mandate__municipality"),
    (Checkpoint, "mandate__municipality"),
    (CheckpointTimestamp, "checkpoint__mandate__municipality"),
    (Cosignature, "checkpoint__mandate__municipality"),
    (AuditEntry, "municipality"),
]


class BackupError(Exception):
    """One line for the person running the command."""


class FullPrecisionEncoder(json.JSONEncoder):
    """Unlike Django's encoder, keeps microseconds: the ledger hashes them."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.date | datetime.time):
            return o.isoformat()
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        return super().default(o)


@dataclass
class Summary:
    rows: int
    files: int
    mandates: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _querysets(municipality: Municipality | None):
    User = get_user_model()  # noqa: N806
    if municipality is None:
        yield Group.objects.order_by("pk")
        yield User.objects.order_by("pk")
    else:  # users are matched by username on restore
        users = (
            User.objects.filter(memberships__municipality=municipality)
            | User.objects.filter(progressupdate__action__mandate__municipality=municipality)
            | User.objects.filter(measurement__indicator__action__mandate__municipality=municipality)
            | User.objects.filter(auditentry__municipality=municipality)
        )
        yield users.distinct().order_by("pk")
    for model, path in SCOPED:
        queryset = model._base_manager.order_by("pk")
        yield queryset if municipality is None else queryset.filter(**{path: municipality.pk})
    if municipality is None:
        yield ApiToken.objects.order_by("pk")


def backup(target: Path, municipality: Municipality | None = None) -> Summary:
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"the folder {target} is not empty")
    outermost = not connection.in_atomic_block
    with transaction.atomic():  # one consistent snapshot (repeatable read on PostgreSQL)
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        rows = []
        for queryset in _querysets(municipality):
            natural = queryset.model in (get_user_model(), Group)  # matched by name, never by id
            rows += serializers.serialize(
                "python", queryset, use_natural_foreign_keys=True, use_natural_primary_keys=natural
            )
        evidence = list(
            Evidence.objects.exclude(file="").filter(
                **({} if municipality is None else {"update__action__mandate__municipality": municipality})
            )
        )
        mandates = Mandate.objects.all() if municipality is None else municipality.mandates.all()
        heads = {m.pk: getattr(ledger.head(m), "hash", None) for m in mandates}
    files = {}
    for item in evidence:
        source = Path(default_storage.path(item.file.name))
        if not source.is_file():
            raise BackupError(f"evidence file missing: {item.file.name} (evidence {item.pk})")
        copy = target / MEDIA_DIR / item.file.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, copy)
        files[item.file.name] = sha256_of(copy)
    (target / DATA_FILE).write_text(json.dumps(rows, cls=FullPrecisionEncoder, ensure_ascii=False))
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "municipality": municipality.slug if municipality else None,
        "rows": len(rows),
        "files": files,
        "ledger_heads": {str(k): v for k, v in heads.items()},
    }
    (target / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1))
    return Summary(len(rows), len(files), len(heads))


def restore(source: Path, *, replace: bool = False) -> Summary:
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST_FILE).read_text())
        rows = json.loads((source / DATA_FILE).read_text())
        for row in rows:  # backups written before roles and audit moved to the core app
            row["model"] = MOVED_MODELS.get(row.get("model"), row.get("model"))
    except (OSError, ValueError) as error:
        raise BackupError(f"not a backup folder: {source} ({error})") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unsupported backup format {manifest.get('format')!r}")
    for name, expected in manifest["files"].items():
        copy = source / MEDIA_DIR / name
        if not copy.is_file() or sha256_of(copy) != expected:
            raise BackupError(f"evidence file missing or altered in the backup: {name}")
    slugs = [row["fields"]["slug"] for row in rows if row["model"] == "programs.municipality"]
    existing = Municipality.objects.filter(slug__in=slugs)
    if existing.exists() and not replace:
        raise BackupError(
            "already on this instance: "
            + ", ".join(existing.values_list("slug", flat=True))
            + " (use --replace to overwrite)"
        )
    taken = _ids_taken_by_others(rows, set(existing.values_list("pk", flat=True)))
    if taken:
        raise BackupError(
            "restore refused: ids already used on this instance by other data ("
            + ", ".join(taken[:5])
            + "); restore into an empty instance, or into the one the backup came from"
        )
    copied = []
    try:
        with transaction.atomic():
            user_model = get_user_model()
            deferred = []
            for obj in serializers.deserialize("python", rows, handle_forward_references=True):
                if isinstance(obj.object, user_model | Group) and obj.object.pk is not None:
                    continue  # already on this instance (same username): keep it as it is
                obj.save()  # one by one: later rows find earlier ones by natural key
                if obj.deferred_fields:
                    deferred.append(obj)
            for obj in deferred:
                obj.save_deferred_fields()
            _reset_sequences()
            for name in manifest["files"]:
                target = Path(default_storage.path(name))
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.exists():
                    shutil.copy2(source / MEDIA_DIR / name, target)
                    copied.append(target)
            problems = verify_instance(Municipality.objects.filter(slug__in=slugs))
            if problems:
                raise BackupError("restore refused: " + "; ".join(problems[:5]))
    except BaseException:
        for path in copied:
            path.unlink(missing_ok=True)
        raise
    mandates = Mandate.objects.filter(municipality__slug__in=slugs).count()
    return Summary(len(rows), len(manifest["files"]), mandates)


def verify_instance(municipalities) -> list[str]:
    """Every ledger verifies, every evidence file exists and has its recorded SHA-256."""
    problems = []
    for mandate in Mandate.objects.filter(municipality__in=municipalities):
        result = ledger.verify(mandate)
        if not result.ok:
            problems.append(f"ledger of mandate {mandate.pk}: {result.problem}")
    problems += evidence_problems(
        Evidence.objects.filter(update__action__mandate__municipality__in=municipalities)
    )
    return problems


def evidence_problems(evidence=None) -> list[str]:
    problems = []
    for item in (evidence if evidence is not None else Evidence.objects.all()).exclude(file=""):
        path = Path(default_storage.path(item.file.name))
        if not path.is_file():
            problems.append(f"evidence {item.pk}: file {item.file.name} is missing")
        elif item.sha256 and sha256_of(path) != item.sha256:
            problems.append(f"evidence {item.pk}: file {item.file.name} does not match its SHA-256")
    return problems


def _ids_taken_by_others(rows: list[dict], replaced: set[int]) -> list[str]:
    """Rows keep their primary keys, so a row whose id already belongs to data of another comune (or
    to anything not being replaced) would be overwritten in place: name such ids, to refuse the restore."""
    paths = {model._meta.label_lower: path for model, path in SCOPED}
    wanted: dict[str, list] = {}
    for row in rows:
        if row.get("pk") is not None:
            wanted.setdefault(row["model"], []).append(row["pk"])
    taken = []
    for label, pks in wanted.items():
        path = paths.get(label)
        if path is None:  # users and groups are matched by natural key; tokens by their own id
            model = ApiToken if label == ApiToken._meta.label_lower else None
            if model is None:
                continue
            clash = model._base_manager.filter(pk__in=pks)
        else:
            model = next(m for m, _p in SCOPED if m._meta.label_lower == label)
            clash = model._base_manager.filter(pk__in=pks).exclude(**{f"{path}__in": replaced})
        taken += [f"{label} {pk}" for pk in clash.values_list("pk", flat=True)[:5]]
    return taken


def _reset_sequences() -> None:
    models = [model for model, _path in SCOPED] + [get_user_model(), Group, ApiToken]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
