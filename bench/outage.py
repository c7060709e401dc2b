"""Load with a database restart: gunicorn (4 workers) on a PostgreSQL cluster of our own (port 5442,
created in /tmp and removed afterwards: never the shared one), 12 clients reading pages and the API
and posting progress updates for 40 s, with the cluster stopped at 12 s and started again 6 s later.

Reports every answer by status, the non-503 errors during the outage, acknowledged writes (201) that
are missing afterwards, and whether every ledger still verifies. Exits 1 if any non-503 error or lost
write is found. Run: .venv/bin/python bench/outage.py [--seconds 40] [--clients 12]"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openmandato.tests.servers import OwnCluster, base_env, gunicorn, request, run_manage  # noqa: E402

READS = ["/", "/valenza/", "/valenza/actions/", "/api/v1/actions?municipality=valenza", "/cremona/"]


def setup(env) -> tuple[str, list[int]]:
    run_manage(env, "migrate", "--noinput")
    run_manage(env, "load_demo")
    script = (
        "from django.contrib.auth import get_user_model; from openmandato.api.models import ApiToken; "
        "from openmandato.programs.models import Action; import json; "
        "u = get_user_model().objects.create_superuser('bench', 'bench@example.org', 'x'); "
        "t = ApiToken.issue(u, 'bench')[1]; "
        "ids = list(Action.objects.active().leaves().filter(mandate__is_published=True)"
        ".values_list('pk', flat=True)[:40]); "
        "print(json.dumps({'token': t, 'ids': ids}))"
    )
    out = run_manage(env, "shell", "-c", script).stdout.strip().splitlines()[-1]
    data = json.loads(out)
    return data["token"], data["ids"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--stop-at", type=float, default=12)
    parser.add_argument("--down-for", type=float, default=6)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="om-outage-"))
    folder.chmod(0o755)  # the cluster inside runs as the postgres user
    cluster = OwnCluster(folder / "pg", 5442)
    cluster.create()
    results = []  # (t, kind, status, outage)
    acknowledged = []  # (update id, note)
    lock = threading.Lock()
    state = {"outage": False}
    try:
        env = base_env(
            folder,
            DATABASE_URL=cluster.url,
            CACHE_URL="locmem://",
            API_RATE_ANON="1000000/m",
            API_RATE_TOKEN="1000000/m",  # noqa: S106 - a rate, not a password
            REPORT_RATE="1000000/m",
        )
        token, ids = setup(env)
        log = folder / "server.log"
        with gunicorn(env, workers=4, log=log) as base:
            start = time.monotonic()

            def client(number: int) -> None:
                action_id = ids[number % len(ids)]
                sequence = 0
                while (now := time.monotonic() - start) < args.seconds:
                    sequence += 1
                    if sequence % 3 == 0:
                        note = f"bench client {number} write {sequence}"
                        body = {
                            "date": datetime.date.today().isoformat(),
                            "status": "in_progress",
                            "progress": sequence % 100,
                            "note": note,
                        }
                        try:
                            status, _h, content = request(
                                f"{base}/api/v1/actions/{action_id}/updates",
                                method="POST",
                                data=json.dumps(body).encode(),
                                headers={
                                    "Authorization": f"Bearer {token}",
                                    "Content-Type": "application/json",
                                },
                            )
                        except OSError:
                            status, content = 0, b""
                        if status == 201:
                            with lock:
                                acknowledged.append((json.loads(content)["id"], note))
                        kind = "write"
                    else:
                        try:
                            status = request(base + READS[sequence % len(READS)])[0]
                        except OSError:
                            status = 0
                        kind = "read"
                    with lock:
                        results.append((now, kind, status, state["outage"]))

            threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
            for thread in threads:
                thread.start()
            time.sleep(args.stop_at)
            state["outage"] = True
            stopped_at = time.monotonic() - start
            cluster.stop()
            time.sleep(args.down_for)
            cluster.start()
            started_at = time.monotonic() - start
            time.sleep(1)
            state["outage"] = False
            for thread in threads:
                thread.join()
        check = (
            "import json; from openmandato.accountability.models import ProgressUpdate; "
            "from openmandato.accountability import ledger; from openmandato.programs.models import Mandate; "
            "print(json.dumps({'notes': dict(ProgressUpdate.objects.values_list('pk', 'note')), "
            "'ledgers': all(ledger.verify(m).ok for m in Mandate.objects.all())}))"
        )
        stored = json.loads(run_manage(env, "shell", "-c", check).stdout.strip().splitlines()[-1])
        notes = {int(k): v for k, v in stored["notes"].items()}
        lost = [(pk, note) for pk, note in acknowledged if notes.get(pk) != note]
        log_text = log.read_text()
    finally:
        cluster.destroy()
    by_status = collections.Counter(status for _t, _k, status, _o in results)
    during = [r for r in results if r[3]]
    bad_during = [r for r in during if r[2] not in (200, 201, 503)]
    bad_outside = [r for r in results if not r[3] and r[2] not in (200, 201)]
    print(f"machine: {os.cpu_count()} cores; {args.clients} clients for {args.seconds} s; gunicorn 4 workers")
    print(f"database stopped at {stopped_at:.1f} s, started again at {started_at:.1f} s")
    print(f"requests: {len(results)}  by status: {dict(sorted(by_status.items()))}")
    print(
        f"during the outage: {len(during)} answers, {sum(1 for r in during if r[2] == 503)} × 503, "
        f"{len(bad_during)} other errors"
    )
    print(f"outside the outage: {len(bad_outside)} errors")
    print(
        f"acknowledged writes: {len(acknowledged)}, lost: {len(lost)}; "
        f"every ledger verifies: {stored['ledgers']}"
    )
    print(
        f"log: {log_text.count('database unavailable (503)')} one-line outage entries, "
        f"{log_text.count('Traceback')} tracebacks"
    )
    return 1 if bad_during or bad_outside or lost or not stored["ledgers"] else 0


if __name__ == "__main__":
    sys.exit(main())
