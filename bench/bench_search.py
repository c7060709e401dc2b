"""Search and compare accuracy on the relevance set (openmandato/search/eval): nDCG@10, recall@10 and
MRR over the citizen queries, precision and recall of compare over the labelled pairs (the tuning set
on which the threshold was chosen, the held-out set and the fresh set, separately), on SQLite and on
PostgreSQL (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/om_bench; skipped when unreachable).

Run with `make bench-search`. Each backend gets a throw-away test database holding the demo programs
(Cremona, Valenza) and the invented ones of eval/programs*.json, indexed as the background task does.
Prints the table kept in BENCHMARKS.md; the floors are in openmandato/search/tests/test_accuracy.py."""

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = {
    "SQLite": "sqlite:///" + str(ROOT / "var" / "bench-search.sqlite3"),
    "PostgreSQL": os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/om_bench"),
}


def measure() -> dict:
    """In a child process whose DATABASE_URL names the backend: build the world, measure, print JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openmandato.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from openmandato.search.evaluation import (
            FRESH_PAIRS,
            HELDOUT_PAIRS,
            compare_figures,
            evaluate_compare,
            evaluate_search,
            load_world,
            pair_scores,
        )

        started = time.perf_counter()
        load_world()
        built = time.perf_counter() - started
        started = time.perf_counter()
        search = evaluate_search()
        search_seconds = time.perf_counter() - started
        compare = evaluate_compare()
        tuning = pair_scores()
        curve = {t: compare_figures(tuning, t) for t in (0.1, 0.125, 0.15, 0.2, 0.25, 0.3)}
        heldout = evaluate_compare(name=HELDOUT_PAIRS)
        fresh = evaluate_compare(name=FRESH_PAIRS)
        return {
            "ndcg": search.ndcg,
            "recall": search.recall,
            "mrr": search.mrr,
            "queries": search.queries,
            "by_kind": search.by_kind,
            "worst": search.worst,
            "ms_per_query": 1000 * search_seconds / search.queries,
            "precision": compare.precision,
            "compare_recall": compare.recall,
            "pairs": compare.pairs,
            "threshold": compare.threshold,
            "errors": compare.errors,
            "curve": {str(t): [c.precision, c.recall] for t, c in curve.items()},
            "heldout_precision": heldout.precision,
            "heldout_recall": heldout.recall,
            "heldout_pairs": heldout.pairs,
            "heldout_errors": heldout.errors,
            "fresh_precision": fresh.precision,
            "fresh_recall": fresh.recall,
            "fresh_pairs": fresh.pairs,
            "fresh_errors": fresh.errors,
            "build_seconds": built,
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> None:
    if sys.argv[1:] == ["--child"]:
        print("RESULT " + json.dumps(measure()))
        return
    (ROOT / "var").mkdir(exist_ok=True)
    results = {}
    for name, url in BACKENDS.items():
        env = dict(os.environ, DATABASE_URL=url)
        if name == "PostgreSQL":
            check = subprocess.run([sys.executable, "-m", "openmandato.dbcheck"], env=env, cwd=ROOT)
            if check.returncode:
                print(f"{name}: not reachable at {url}, skipped")
                continue
        done = subprocess.run(  # noqa: S603 (this interpreter and this file)
            [sys.executable, __file__, "--child"], env=env, cwd=ROOT, capture_output=True, text=True
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        if done.returncode or not lines:
            print(done.stdout[-3000:], done.stderr[-3000:])
            raise SystemExit(f"{name}: the measurement failed")
        results[name] = json.loads(lines[-1][len("RESULT ") :])
    print(
        f"Search and compare accuracy — {time.strftime('%Y-%m-%d')}, "
        f"{platform.machine()}, {os.cpu_count()} cores"
    )
    print()
    print(
        "| backend | queries | nDCG@10 | recall@10 | MRR | ms/query | tuning pairs "
        "| compare precision | compare recall | held-out pairs | held-out precision | held-out recall "
        "| fresh pairs | fresh precision | fresh recall |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(
            f"| {name} | {r['queries']} | {r['ndcg']:.3f} | {r['recall']:.3f} | {r['mrr']:.3f} | "
            f"{r['ms_per_query']:.1f} | {r['pairs']} | {r['precision']:.3f} | {r['compare_recall']:.3f} | "
            f"{r['heldout_pairs']} | {r['heldout_precision']:.3f} | {r['heldout_recall']:.3f} | "
            f"{r['fresh_pairs']} | {r['fresh_precision']:.3f} | {r['fresh_recall']:.3f} |"
        )
    for name, r in results.items():
        print()
        print(
            f"{name}: nDCG@10 by kind of query: " + ", ".join(f"{k} {v:.3f}" for k, v in r["by_kind"].items())
        )
        print(f"{name}: lowest nDCG@10: " + "; ".join(f"«{q}» {n:.2f}" for q, n in r["worst"]))
        curve = ", ".join(f"{t}: P {p:.2f} R {rc:.2f}" for t, (p, rc) in r["curve"].items())
        print(f"{name}: tuning pairs at other thresholds (chosen {r['threshold']}): {curve}")
        for a, b, label, score in r["errors"]:
            print(f"    {'missed' if label else 'wrong '} {score:.2f}  {a}  ~  {b}")
        chose = "with the tuning pairs, chose the title share and the threshold"
        print(f"{name}: held-out pairs at {r['threshold']} ({chose}), errors:")
        for a, b, label, score in r["heldout_errors"]:
            print(f"    {'missed' if label else 'wrong '} {score:.2f}  {a}  ~  {b}")
        print(f"{name}: fresh pairs at {r['threshold']} (written blind, never tuned on), errors:")
        for a, b, label, score in r["fresh_errors"]:
            print(f"    {'missed' if label else 'wrong '} {score:.2f}  {a}  ~  {b}")


if __name__ == "__main__":
    main()
