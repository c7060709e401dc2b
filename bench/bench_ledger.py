"""Cost of the transparency log for a mandate of 10,000 entries: appending an entry (with its signed
checkpoint), signing alone, proof sizes, proof and full verification times.

Run with `make bench-ledger` (a throw-away test database on DATABASE_URL's server, SQLite by default).
Prints medians; no test asserts on time."""

import datetime
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout, not an installed copy
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openmandato.settings")
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SIZE = 10_000


def median_ms(function, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    settings.TLOG_KEY_FILE = os.path.join(tempfile.mkdtemp(), "bench-key.pem")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    from openmandato.accountability import ledger, tlog, verifier
    from openmandato.accountability.services import record_progress
    from openmandato.accountability.tests.tlog.bulk import bulk_history
    from openmandato.programs.tests.factory import make_actions, make_mandate, make_municipality, make_section

    mandate = make_mandate(make_municipality("Bench"))
    actions = make_actions(make_section(mandate, "Tutto"), 40)
    start = time.perf_counter()
    bulk_history(mandate, actions, SIZE, datetime.date(2024, 6, 1))
    build = time.perf_counter() - start

    day = datetime.date(2024, 6, 2)
    counter = iter(range(10_000))

    def append():
        record_progress(actions[0], user=None, status="in_progress", progress=next(counter) % 100, date=day,
                        system=True)  # fmt: skip

    append_ms = median_ms(append, 30)
    key = tlog.signing_key()
    body = verifier.checkpoint_body("bench/1", SIZE, b"\0" * 32)
    sign_ms = median_ms(lambda: verifier.sign_note(body, "bench", key), 200)

    def checkpoint_only():
        with transaction.atomic():
            ledger._append(
                mandate, {"kind": "participation", "event": "official_answer", "n": 1}, "participation"
            )

    checkpoint_ms = median_ms(checkpoint_only, 30)
    size = tlog.tree_size(mandate)
    leaves = tlog.leaf_hashes(mandate)
    root = verifier.root_hash(leaves)
    inclusion_ms = median_ms(lambda: verifier.inclusion_proof(tlog.leaf_hashes(mandate), size // 2), 5)
    proof = verifier.inclusion_proof(leaves, size // 2)
    consistency = verifier.consistency_proof(leaves, SIZE // 2)
    middle = size // 2
    verify_inclusion_ms = median_ms(
        lambda: verifier.verify_inclusion(leaves[middle], middle, size, proof, root), 200
    )
    old_root = verifier.root_hash(leaves[: SIZE // 2])
    verify_consistency_ms = median_ms(
        lambda: verifier.verify_consistency(SIZE // 2, size, old_root, root, consistency), 200
    )
    bodies = list(mandate.ledger.order_by("seq").values_list("body", flat=True))
    recompute_ms = median_ms(lambda: verifier.root_hash([verifier.leaf_hash(b.encode()) for b in bodies]), 3)
    server_ms = median_ms(lambda: ledger.verify(mandate, check_files=False), 3)

    print(f"date: {datetime.date.today()}  machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, database {connection.vendor}")  # fmt: skip
    print(f"bulk build of {SIZE} entries: {build:.1f} s")
    print(f"tree size while measuring: {size}")
    print(f"append an update (record_progress: rows, entry, signed checkpoint): {append_ms:.1f} ms")
    print(f"append an entry and sign its checkpoint (ledger only): {checkpoint_ms:.1f} ms")
    print(f"Ed25519 signature of a checkpoint note: {sign_ms:.3f} ms")
    print(f"inclusion proof: {len(proof)} hashes = {len(proof) * 32} bytes; built in {inclusion_ms:.1f} ms; "
          f"verified in {verify_inclusion_ms:.3f} ms")  # fmt: skip
    print(f"consistency proof {SIZE // 2} -> {size}: {len(consistency)} hashes = "
          f"{len(consistency) * 32} bytes; verified in {verify_consistency_ms:.3f} ms")  # fmt: skip
    print(f"recompute the root from all {size} entry bodies: {recompute_ms:.0f} ms")
    print(f"verify_ledger on the server (rows, chain, tree, checkpoints, replay): {server_ms:.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
