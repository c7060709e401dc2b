"""Report flood: anonymous clients asking for PDF reports nobody asked for before (a new `?as_of=` each
time), while a monitor measures `/healthz` and a portal page. Before reports went to the worker, 15
clients for 20 s left `/healthz` waiting 14-19 s (issue 12). Runs gunicorn (4 workers) and one
`openmandato db_worker` on a throw-away SQLite database with the demo loaded.

Prints the answers by status, the latency of `/healthz` and `/valenza/` (p50/p95/max) during the flood,
and how many reports the worker printed. Run: .venv/bin/python bench/report_flood.py [--clients 15]
[--seconds 20] [--report-rate 1000/m]"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openmandato.tests.servers import base_env, gunicorn, request, run_manage  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--report-rate", default="1000/m", help="REPORT_RATE for the run (anonymous)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="om-report-flood-"))
    env = base_env(folder, REPORT_RATE=args.report_rate, DATABASE_CONN_MAX_AGE="60")
    run_manage(env, "migrate", "--noinput")
    run_manage(env, "load_demo")
    worker_log = (folder / "worker.log").open("w")
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and entry point
        [sys.executable, "-m", "openmandato", "db_worker", "--queue-name", "*", "--no-reload"],
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    statuses: collections.Counter = collections.Counter()
    probes: dict[str, list[float]] = {"/healthz": [], "/valenza/": []}
    lock = threading.Lock()
    try:
        with gunicorn(env, workers=4, log=folder / "gunicorn.log") as base:
            stop = time.monotonic() + args.seconds
            start_day = datetime.date(2020, 10, 1)

            def flood(seed: int) -> None:
                rng = random.Random(seed)  # noqa: S311 - load generation, not security
                while time.monotonic() < stop:
                    day = start_day + datetime.timedelta(days=rng.randrange(1500))
                    status, _headers, _body = request(f"{base}/valenza/report.pdf?as_of={day.isoformat()}")
                    with lock:
                        statuses[status] += 1

            def monitor() -> None:
                while time.monotonic() < stop:
                    for path, times in probes.items():
                        began = time.monotonic()
                        request(base + path)
                        times.append((time.monotonic() - began) * 1000)
                    time.sleep(0.2)

            threads = [threading.Thread(target=flood, args=(n,)) for n in range(args.clients)]
            threads.append(threading.Thread(target=monitor))
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        worker.terminate()
        worker.wait(30)
        worker_log.close()
    printed = (
        run_manage(
            env,
            "shell",
            "-c",
            "from django_tasks_db.models import DBTaskResult as R; "
            "done = R.objects.filter(status='SUCCESSFUL'); "
            "print(done.count(), R.objects.count() - done.count())",
        )
        .stdout.strip()
        .splitlines()[-1]
        .split()
    )
    result = {
        "clients": args.clients,
        "seconds": args.seconds,
        "report_rate": args.report_rate,
        "answers": dict(sorted(statuses.items())),
        "reports_printed_by_worker": int(printed[0]),
        "reports_not_printed_yet": int(printed[1]),
        **{
            f"{path} ms": {
                "n": len(times),
                "p50": round(statistics.median(times), 1),
                "p95": round(percentile(times, 0.95), 1),
                "max": round(max(times), 1),
            }
            for path, times in probes.items()
            if times
        },
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
