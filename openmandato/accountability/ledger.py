"""The tamper-evident ledger: per mandate, every update and measurement is chained by hash.

    hash = sha256( canonical_json(data) + prev_hash )     (UTF-8; the first prev_hash is 64 zeros)

canonical_json sorts keys, uses "," and ":" separators and keeps non-ASCII characters as they are.
`data` is rebuilt from the rows themselves when verifying, so a row changed directly in the
database no longer matches the hash recorded when it was written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from openmandato.accountability.models import Evidence, LedgerEntry, Measurement, ProgressUpdate
from openmandato.programs.models import Mandate

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
    if entry.update_id:
        return update_data(entry.update)
    if entry.measurement_id:
        return measurement_data(entry.measurement)
    return {"kind": "missing"}


def append(mandate: Mandate, *, update: ProgressUpdate | None = None, measurement: Measurement | None = None):
    """Chain a new row. The caller holds the mandate's row lock, so sequence numbers never collide."""
    last = LedgerEntry.objects.filter(mandate=mandate).order_by("-seq").first()
    prev_hash, seq = (last.hash, last.seq + 1) if last else (GENESIS, 1)
    if update is not None:
        data = update_data(ProgressUpdate.objects.prefetch_related("evidence").get(pk=update.pk))
    else:
        data = measurement_data(Measurement.objects.select_related("indicator").get(pk=measurement.pk))
    return LedgerEntry.objects.create(
        mandate=mandate,
        seq=seq,
        update=update,
        measurement=measurement,
        prev_hash=prev_hash,
        hash=chain_hash(data, prev_hash),
    )


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
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(mandate: Mandate) -> Verification:
    prev_hash, expected_seq = GENESIS, 1
    for entry in entries(mandate):
        label = f"#{entry.seq}"
        if entry.seq != expected_seq:
            return Verification(
                mandate, expected_seq - 1, prev_hash, f"{label}: expected entry #{expected_seq}"
            )
        if entry.prev_hash != prev_hash:
            return Verification(
                mandate, expected_seq - 1, prev_hash, f"{label}: previous hash does not match"
            )
        if entry.hash != chain_hash(entry_data(entry), prev_hash):
            what = f"update {entry.update_id}" if entry.update_id else f"measurement {entry.measurement_id}"
            return Verification(
                mandate, expected_seq - 1, prev_hash, f"{label} ({what}): content does not match"
            )
        prev_hash, expected_seq = entry.hash, expected_seq + 1
    count = expected_seq - 1
    unchained = ProgressUpdate.objects.filter(action__mandate=mandate, ledger_entry__isnull=True).first()
    if unchained:
        return Verification(mandate, count, prev_hash, f"update {unchained.pk} is not in the ledger")
    loose = Measurement.objects.filter(indicator__action__mandate=mandate, ledger_entry__isnull=True).first()
    if loose:
        return Verification(mandate, count, prev_hash, f"measurement {loose.pk} is not in the ledger")
    return Verification(mandate, count, prev_hash)


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
