"""The transparency log: per mandate, every update, correction, measurement (and later participation
event) is an entry whose canonical JSON is a leaf of an RFC 9162 Merkle tree; each write signs a
checkpoint (see tlog.py). Entries are also still chained, as they were before the tree existed:

    hash = sha256( canonical_json(data) + prev_hash )     (UTF-8; the first prev_hash is 64 zeros)

canonical_json sorts keys, uses "," and ":" separators and keeps non-ASCII characters as they are.
`data` is rebuilt from the rows themselves when verifying, so a row changed directly in the
database no longer matches the hash recorded when it was written.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch

from openmandato.accountability import tlog, verifier
from openmandato.accountability.models import (
    Checkpoint,
    EntryKind,
    Evidence,
    LedgerEntry,
    Measurement,
    ProgressUpdate,
)
from openmandato.programs.models import Action, Mandate

GENESIS = "0" * 64
ALGORITHM = "sha256(canonical_json(data) + prev_hash)"


def canonical_json(data: dict) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(data: dict, prev_hash: str) -> str:
    return hashlib.sha256((canonical_json(data) + prev_hash).encode("utf-8")).hexdigest()


def _decimal(value: Decimal | None, places: int) -> str | None:
    return None if value is None else f"{Decimal(value):.{places}f}"


def _iso(value) -> str | None:
    return None if value is None else value.isoformat()


def update_data(update: ProgressUpdate) -> dict:
    """The public fields of an update, as chained."""
    return {
        "kind": "update",
        "id": update.pk,
        "action": update.action_id,
        "date": _iso(update.date),
        "status": update.status,
        "progress": update.progress,
        "note": update.note,
        "spent_budget": _decimal(update.spent_budget, 2),
        "corrects": update.corrects_id,
        "from_indicators": update.from_indicators,
        "is_demo": update.is_demo,
        "recorded_at": _iso(update.created_at),
        "evidence": [
            {
                "kind": item.kind,
                "title": item.title,
                "act_kind": item.act_kind,
                "act_number": item.act_number,
                "act_date": _iso(item.act_date),
                "url": item.url,
                "file_sha256": item.sha256,
            }
            for item in sorted(update.evidence.all(), key=lambda item: item.pk)
        ],
    }


def measurement_data(measurement: Measurement) -> dict:
    return {
        "kind": "measurement",
        "id": measurement.pk,
        "indicator": measurement.indicator_id,
        "action": measurement.indicator.action_id,
        "date": _iso(measurement.date),
        "value": _decimal(measurement.value, 4),
        "note": measurement.note,
        "is_demo": measurement.is_demo,
        "recorded_at": _iso(measurement.created_at),
    }


def entry_data(entry: LedgerEntry) -> dict:
    """The entry's data rebuilt from the database rows (participation events exist only as their body)."""
    if entry.update_id:
        return update_data(entry.update)
    if entry.measurement_id:
        return measurement_data(entry.measurement)
    if entry.kind == EntryKind.PARTICIPATION and entry.body:
        return json.loads(entry.body)
    return {"kind": "missing"}


def append(mandate: Mandate, *, update: ProgressUpdate | None = None, measurement: Measurement | None = None):
    """Log a new row and sign a checkpoint. The caller holds the mandate's row lock, so sequence
    numbers never collide."""
    if update is not None:
        data = update_data(ProgressUpdate.objects.prefetch_related("evidence").get(pk=update.pk))
        kind = EntryKind.CORRECTION if update.corrects_id else EntryKind.UPDATE
    else:
        data = measurement_data(Measurement.objects.select_related("indicator").get(pk=measurement.pk))
        kind = EntryKind.MEASUREMENT
    return _append(mandate, data, kind, update=update, measurement=measurement)


PARTICIPATION_EVENTS = frozenset({"official_answer", "contested_claim"})


def append_event(mandate: Mandate, event: str, data: dict) -> LedgerEntry:
    """Log a participation event that must never be rewritten (an official answer, a contested claim).

    The entry is {"kind": "participation", "event": event, ...data}; it lives only in the log."""
    if event not in PARTICIPATION_EVENTS:
        raise ValueError(f"unknown participation event: {event}")
    with transaction.atomic():
        mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
        return _append(mandate, {**data, "kind": "participation", "event": event}, EntryKind.PARTICIPATION)


def _append(mandate, data: dict, kind: str, **rows) -> LedgerEntry:
    last = LedgerEntry.objects.filter(mandate=mandate).order_by("-seq").only("seq", "hash").first()
    prev_hash, seq = (last.hash, last.seq + 1) if last else (GENESIS, 1)
    body = canonical_json(data)
    entry = LedgerEntry.objects.create(
        mandate=mandate,
        seq=seq,
        kind=kind,
        body=body,
        leaf_hash=verifier.leaf_hash(body.encode()).hex(),
        prev_hash=prev_hash,
        hash=chain_hash(data, prev_hash),
        **rows,
    )
    tlog.sign_checkpoint(mandate)
    return entry


def entries(mandate: Mandate):
    return (
        LedgerEntry.objects.filter(mandate=mandate)
        .select_related("update", "measurement__indicator")
        .prefetch_related(Prefetch("update__evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("seq")
    )


def head(mandate: Mandate) -> LedgerEntry | None:
    return LedgerEntry.objects.filter(mandate=mandate).order_by("-seq").first()


@dataclass(frozen=True)
class Verification:
    mandate: Mandate
    count: int
    head: str
    problems: tuple[str, ...] = ()
    root: str = ""

    @property
    def problem(self) -> str | None:
        return self.problems[0] if self.problems else None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(mandate: Mandate, saved: dict | None = None, *, check_files: bool = True) -> Verification:
    """Check the log of a mandate against its rows, its signed checkpoints, an optional checkpoint saved
    earlier (see verifier.py), the actions' status/progress and the evidence files on disk.

    Problems are listed in order; the first names the first bad entry or the inconsistency."""
    problems: list[str] = []
    checkpoints = {
        c.tree_size: c for c in Checkpoint.objects.filter(mandate=mandate).select_related("timestamp")
    }
    saved_checkpoint = verifier.Checkpoint.parse(saved["note"]) if saved else None
    key = tlog.verifier_key_object()
    prev_hash, expected_seq, tree, datas = GENESIS, 1, verifier.CompactRange(), []
    for entry in entries(mandate):
        label = f"#{entry.seq}"
        if entry.seq != expected_seq:
            problems.append(f"{label}: expected entry #{expected_seq}")
            break
        data = entry_data(entry)
        what = (
            f"update {entry.update_id}"
            if entry.update_id
            else f"measurement {entry.measurement_id}"
            if entry.measurement_id
            else entry.kind
        )
        if entry.prev_hash != prev_hash:
            problems.append(f"{label}: previous hash does not match")
            break
        if entry.hash != chain_hash(data, prev_hash) or (entry.body and entry.body != canonical_json(data)):
            problems.append(f"{label} ({what}): content does not match")
            break
        body = entry.body or canonical_json(data)
        if entry.leaf_hash != verifier.leaf_hash(body.encode()).hex():
            problems.append(f"{label} ({what}): leaf hash does not match")
            break
        tree.append(verifier.leaf_hash(body.encode()))
        datas.append(data)
        signed = checkpoints.get(tree.size)
        if signed is not None and signed.root_hash != tree.root().hex():
            problems.append(
                f"{label} ({what}): the signed checkpoint of size {tree.size} does not match "
                "(entries rewritten since it was signed)"
            )
            break
        if saved_checkpoint and tree.size == saved_checkpoint.size and tree.root() != saved_checkpoint.root:
            problems.append(
                f"inconsistent with the saved checkpoint of size {saved_checkpoint.size}"
                + _first_saved_difference(saved, datas)
            )
            break
        prev_hash, expected_seq = entry.hash, expected_seq + 1
    count = expected_seq - 1
    if not problems:
        problems += _check_checkpoints(checkpoints, count, key, saved_checkpoint)
    unchained = ProgressUpdate.objects.filter(action__mandate=mandate, ledger_entry__isnull=True).first()
    if unchained:
        problems.append(f"update {unchained.pk} is not in the ledger")
    loose = Measurement.objects.filter(indicator__action__mandate=mandate, ledger_entry__isnull=True).first()
    if loose:
        problems.append(f"measurement {loose.pk} is not in the ledger")
    actions = Action.objects.filter(mandate=mandate).values("id", "status", "progress")
    mismatch = verifier.compare_replay(datas, list(actions))
    if mismatch:
        problems.append(f"replay: {mismatch}")
    if check_files:
        problems += _check_files(mandate)
    return Verification(mandate, count, prev_hash, tuple(problems), tree.root().hex())


def _first_saved_difference(saved: dict, datas: list[dict]) -> str:
    known = base64.b64decode(saved.get("leaves", ""))
    for index, data in enumerate(datas):
        if known[index * 32 : index * 32 + 32] not in (
            b"",
            verifier.leaf_hash(canonical_json(data).encode()),
        ):
            return f": first bad entry #{index + 1}"
    return ""


def _check_checkpoints(checkpoints: dict, count: int, key, saved) -> list[str]:
    problems = []
    largest = max(checkpoints, default=0)
    if saved and saved.size > count:
        problems.append(
            f"the log has {count} entries but the saved checkpoint has {saved.size}: "
            f"entries from #{count + 1} on were deleted"
        )
    if largest > count:
        problems.append(
            f"the log has {count} entries but a checkpoint of size {largest} was signed: "
            f"entries from #{count + 1} on were deleted"
        )
    for size, checkpoint in sorted(checkpoints.items()):
        try:
            verifier.verify_note(checkpoint.note, key)
            parsed = verifier.Checkpoint.parse(checkpoint.note)
            if (parsed.size, parsed.root.hex()) != (size, checkpoint.root_hash):
                raise verifier.VerificationError("its note does not match its row")
            stamp = getattr(checkpoint, "timestamp", None)
            if stamp is not None:
                digest = hashlib.sha256(parsed.body.encode()).digest()
                verifier.verify_timestamp(bytes(stamp.token), digest, tlog.trusted_tsa())
        except verifier.VerificationError as exc:
            problems.append(f"checkpoint of size {size}: {exc}")
            break
    return problems


def _check_files(mandate: Mandate) -> list[str]:
    problems = []
    documents = (
        Evidence.objects.filter(update__action__mandate=mandate)
        .exclude(file="")
        .select_related("update__ledger_entry")
        .order_by("pk")
    )
    for evidence in documents:
        entry = getattr(evidence.update, "ledger_entry", None)
        label = f"#{entry.seq}" if entry else f"update {evidence.update_id}"
        digest = hashlib.sha256()
        try:
            with evidence.file.storage.open(evidence.file.name, "rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 16), b""):
                    digest.update(chunk)
        except OSError:
            problems.append(f"{label}: evidence file {evidence.file.name} is missing")
            continue
        if digest.hexdigest() != evidence.sha256:
            problems.append(f"{label}: evidence file {evidence.file.name} does not match its SHA-256")
    return problems


def export(mandate: Mandate) -> dict:
    chain = [
        {"seq": entry.seq, "data": entry_data(entry), "prev_hash": entry.prev_hash, "hash": entry.hash}
        for entry in entries(mandate)
    ]
    return {
        "municipality": mandate.municipality.slug,
        "mandate": {"id": mandate.pk, "title": mandate.title},
        "algorithm": ALGORITHM,
        "canonical_json": "keys sorted, separators ',' and ':', UTF-8, non-ASCII kept",
        "genesis": GENESIS,
        "head": chain[-1]["hash"] if chain else GENESIS,
        "entries": chain,
    }
