"""Build an honest log of many entries in bulk (tests and `make bench-ledger`): the rows, their entries
with bodies, leaves and chain hashes, the actions' status/progress as the log says, one checkpoint."""

import datetime
import json

from django.db import transaction

from openmandato.accountability import ledger, tlog, verifier
from openmandato.accountability.models import EntryKind, LedgerEntry, ProgressUpdate
from openmandato.programs.models import Action, Mandate

STATUSES = ("in_progress", "stalled", "in_progress", "not_started")


def bulk_history(mandate: Mandate, actions: list[Action], count: int, day: datetime.date) -> None:
    with transaction.atomic():
        ProgressUpdate.objects.bulk_create(
            [
                ProgressUpdate(
                    municipality_id=mandate.municipality_id,  # bulk_create skips save(), which fills it
                    action=actions[i % len(actions)],
                    date=day - datetime.timedelta(days=(count - i) // len(actions)),
                    status=STATUSES[i % len(STATUSES)],
                    progress=i % 100,
                    note=f"Aggiornamento n. {i + 1} — città più verde",
                    note_html="",
                )
                for i in range(count)
            ],
            batch_size=1000,
        )
        updates = ProgressUpdate.objects.filter(action__mandate=mandate, ledger_entry__isnull=True)
        last = ledger.head(mandate)
        prev, seq = (last.hash, last.seq) if last else (ledger.GENESIS, 0)
        rows = []
        for update in updates.prefetch_related("evidence").order_by("pk").iterator(chunk_size=1000):
            data = ledger.update_data(update)
            body = ledger.canonical_json(data)
            digest = ledger.chain_hash(data, prev)
            seq += 1
            rows.append(
                LedgerEntry(
                    municipality_id=mandate.municipality_id,
                    mandate=mandate,
                    seq=seq,
                    update=update,
                    kind=EntryKind.UPDATE,
                    body=body,
                    leaf_hash=verifier.leaf_hash(body.encode()).hex(),
                    prev_hash=prev,
                    hash=digest,
                )
            )
            prev = digest
        LedgerEntry.objects.bulk_create(rows, batch_size=1000)
        entries = LedgerEntry.objects.filter(mandate=mandate).order_by("seq").values_list("body", flat=True)
        datas = [json.loads(body) for body in entries]
        for action_id, (status, progress) in verifier.replay(datas).items():
            Action.objects.filter(pk=action_id).update(status=status, progress=progress)
        tlog.sign_checkpoint(Mandate.objects.select_for_update().get(pk=mandate.pk))
