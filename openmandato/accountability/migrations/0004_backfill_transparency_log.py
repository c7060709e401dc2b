"""Turn each existing hash chain into the leaves of the mandate's Merkle tree.

Nothing of the chain is rewritten: `seq`, `prev_hash` and `hash` stay as they were, so a chain head
written down before the upgrade still verifies. Each entry gets `body` = the canonical JSON its chain
hash was computed over (rebuilt from the rows exactly as the chain does) and `leaf_hash` =
SHA-256(0x00 ‖ body). If a row had already been changed behind the chain's back, the rebuilt body no
longer matches the old hash and `verify_ledger` keeps reporting it. The first checkpoint over the
migrated tree is signed by `openmandato sign_checkpoints` (or by the next write).
"""

import hashlib
import json
from decimal import Decimal

from django.db import migrations


def _canonical(data):
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _decimal(value, places):
    return None if value is None else f"{Decimal(value):.{places}f}"


def _iso(value):
    return None if value is None else value.isoformat()


def _update_data(update, evidence):
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
            for item in evidence
        ],
    }


def _measurement_data(measurement):
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


def backfill(apps, schema_editor):
    LedgerEntry = apps.get_model("accountability", "LedgerEntry")
    Evidence = apps.get_model("accountability", "Evidence")
    entries = LedgerEntry.objects.select_related("update", "measurement__indicator").order_by("mandate", "seq")
    for entry in entries.iterator(chunk_size=500):
        if entry.update_id:
            evidence = Evidence.objects.filter(update_id=entry.update_id).order_by("pk")
            data = _update_data(entry.update, evidence)
            kind = "correction" if entry.update.corrects_id else "update"
        elif entry.measurement_id:
            data = _measurement_data(entry.measurement)
            kind = "measurement"
        else:
            continue
        body = _canonical(data)
        LedgerEntry._base_manager.filter(pk=entry.pk).update(
            kind=kind, body=body, leaf_hash=hashlib.sha256(b"\x00" + body.encode()).hexdigest()
        )


class Migration(migrations.Migration):
    dependencies = [("accountability", "0003_transparency_log_checkpoints")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
