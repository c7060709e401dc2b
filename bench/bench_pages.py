"""Page benchmark (`make bench`, `make bench QUICK=1`): every public page under the production stack.

For each data set — the demo on SQLite, then (full run) synthetic national data sets of growing size on
PostgreSQL — this script starts `openmandato serve` (gunicorn + whitenoise) on loopback, drives each page
with wrk (a separate process, bounded in time and connections) and, in the same run, the same HTML saved
as a static file and served by the same stack: the ratio page/static is what the application costs.
It also counts each page's SQL queries and their time, rendered in-process with the page cache off.
Results go to bench/results/<date>-<label>.json; `--table` prints the Markdown table and writes the SVG
plot (bench/results/latency.svg) from every results file.

    python bench/bench_pages.py --quick                      # demo on SQLite, ~1.5 min
    python bench/bench_pages.py --pg postgres://…/om_bench   # + 2 / 80 / 800 comuni × 100 actions
    python bench/bench_pages.py --replica-only --sizes 80    # only the read replica, ~6 min

The full run ends with the read replica (skipped when the PostgreSQL server binaries are missing): a
primary and a streaming replica of it (pg_basebackup -R), two clusters of our own on free local ports,
the smallest data set loaded into the primary with `openmandato generate_synthetic`, the anonymous
pages served with DATABASE_REPLICA_URL (page cache on, then a few with it off), what each cluster's
pg_stat_database counted during each page, and the delay from a progress update on the primary to the
public page that shows it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "pages.lua"
PORT = int(os.environ.get("BENCH_PORT", "8252"))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPU {cpu}, {platform.system()} {platform.release()}, Python {platform.python_version()}"  # noqa: E501


def shared_cache_url(var_dir: Path) -> str:
    """The production set-up's shared cache: Redis when one answers on loopback, else files in var_dir
    (also shared by every worker process, unlike a per-process memory cache)."""
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as probe:
            probe.sendall(b"PING\r\n")
            if probe.recv(16).startswith(b"+PONG"):
                return "redis://127.0.0.1:6379/0"
    except OSError:
        pass
    return f"file://{var_dir / 'cache'}"


# --- measuring one data set (runs in a child process with DATABASE_URL set) --------------------------


def measure(
    label: str,
    database_url: str,
    municipalities: int,
    actions: int,
    duration: float,
    clients: int,
    workers: int,
    var_dir: Path,
) -> dict:
    data = prepare(database_url, municipalities, actions, var_dir)
    pages, sql = data["pages"], data["sql"]
    with serving(server_env(), workers, var_dir / "serve.log") as base:
        _warm(base + pages["report"], 120)  # the worker renders the PDF once; then it is served cached
        load = {name: load_page(label, base, name, data, duration, clients, workers) for name in pages}
    return {
        "label": label,
        "database": data["vendor"],
        "municipalities": len(data["comuni"]),
        "actions": data["actions"],
        "clients": clients,
        "workers": workers,
        "duration_s": duration,
        "pages": {name: {**load[name], **sql[name], "url": url} for name, url in pages.items()},
    }


def prepare(database_url: str, municipalities: int, actions: int, var_dir: Path) -> dict:
    """Django set up on `database_url` (migrated, the data set generated up to `municipalities`), the
    pages of the comune in the middle, their SQL costs, a signed-in staff client, and each page saved
    as a static file under STATIC_ROOT (the static ceiling)."""
    os.environ.update(
        DATABASE_URL=database_url,
        OPENMANDATO_VAR_DIR=str(var_dir),
        CACHE_URL=os.environ.get("BENCH_CACHE_URL") or shared_cache_url(var_dir),
        CACHE_KEY_PREFIX=f"om-bench-{os.getpid()}",
        DJANGO_SETTINGS_MODULE="openmandato.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from openmandato.ops import synthetic
    from openmandato.programs.models import Action, Municipality

    setup_test_environment()  # lets the test client through ALLOWED_HOSTS
    call_command("migrate", interactive=False, verbosity=0)
    if municipalities == 0:
        call_command("load_demo", verbosity=0)
    else:
        have = Municipality.objects.count()
        if have < municipalities:
            started = time.monotonic()
            synthetic.generate(
                municipalities - have,
                actions,
                2,
                seed=have + 1,
                batch_size=50,
                progress=synthetic.text_progress(),
            )
            print(
                f"generated {municipalities - have} comuni in {time.monotonic() - started:.0f} s", flush=True
            )
    comuni = list(Municipality.objects.order_by("pk").values_list("pk", flat=True))
    comune = Municipality.objects.get(pk=comuni[len(comuni) // 2])
    pages = pages_of(comune)
    client = Client()
    sql = sql_costs(client, pages)
    # Pages rendered for one person every time (never from the shared cache): a staff member signed in.
    staff = staff_client(comune)
    staff_pages = {
        "staff: comune": pages["comune"],
        "staff: action": pages["action"],
        "staff: back-office": "/backoffice/",
    }
    sql.update(sql_costs(staff, staff_pages))
    pages.update(staff_pages)
    session_cookie = django.conf.settings.SESSION_COOKIE_NAME
    cookie = f"{session_cookie}={staff.cookies[session_cookie].value}"
    headers = {name: {"Cookie": cookie} for name in staff_pages}
    static_dir = Path(django.conf.settings.STATIC_ROOT) / "bench"
    static_dir.mkdir(parents=True, exist_ok=True)
    served = {}
    for index, (name, url) in enumerate(pages.items()):
        body = (staff if name in staff_pages else client).get(url)
        content = b"".join(body.streaming_content) if body.streaming else body.content
        (static_dir / f"page{index}.html").write_bytes(content)
        served[name] = f"/static/bench/page{index}.html"
    total_actions = Action.objects.count()
    connection.close()
    return {
        "vendor": connection.vendor,
        "comuni": comuni,
        "comune": comune,
        "actions": total_actions,
        "pages": pages,
        "sql": sql,
        "headers": headers,
        "served": served,
    }


def server_env(**extra: str) -> dict:
    # the load generator is one address: the per-address API limit (120/min) would answer it 429
    return {
        **os.environ,
        "DEBUG": "false",
        "DATABASE_CONN_MAX_AGE": "60",
        "API_RATE_ANON": "100000000/m",
        **extra,
    }


@contextlib.contextmanager
def serving(env: dict, workers: int, log_path: Path):
    """`openmandato serve` (gunicorn + the task worker) on PORT; yields its base URL, stops it after."""
    log = log_path.open("w")
    server = subprocess.Popen(  # noqa: S603 - our own interpreter
        [
            sys.executable,
            "-m",
            "openmandato",
            "serve",
            "--no-collectstatic",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        _wait(base + "/healthz", server)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def load_page(
    label: str, base: str, name: str, data: dict, duration: float, clients: int, workers: int
) -> dict:
    """One page under wrk, then the same HTML as a static file: rates, latencies and their ratio."""
    url, headers, sql = data["pages"][name], data["headers"].get(name), data["sql"][name]
    for _ in range(workers):  # the shared cache holds the page, each worker has served it once
        _warm(base + url, 30, headers)
    page = _wrk(base + url, duration, clients, headers)
    static = _wrk(base + data["served"][name], duration, clients)
    page["static_rps"] = static["rps"]
    page["static_p95"] = static["p95"]
    page["ratio"] = round(page["rps"] / static["rps"], 4) if static["rps"] else None
    print(
        f"{label:>14} {name:<14} {page['rps']:>8.1f} req/s p50 {page['p50']:>7.1f} p95 "
        f"{page['p95']:>7.1f} p99 {page['p99']:>7.1f} ms  static {static['rps']:>7.0f} req/s  "
        f"{sql['queries']:>3} queries {sql['sql_ms']:>7.1f} ms SQL",
        flush=True,
    )
    return page


def pages_of(comune) -> dict[str, str]:
    from openmandato.programs.models import Action, Section

    mandate = comune.mandates.get(is_current=True)
    actions = Action.objects.filter(mandate=mandate).order_by("tree_order")
    action = actions[actions.count() // 2]
    section = Section.objects.filter(mandate=mandate).order_by("tree_order").last()
    rare = comune.name.split()[-1].lower()
    s = comune.slug
    return {
        "/": "/",
        "comune": f"/{s}/",
        "action": f"/{s}/actions/{action.pk}/",
        "section": f"/{s}/sections/{section.pk}/",
        "actions list": f"/{s}/actions/",
        "search common": "/search/?q=scuola",
        "search rare": f"/search/?q={rare}",
        "compare": "/compare/?q=pista+ciclabile",
        "API list": f"/api/v1/actions?municipality={s}",
        "export.csv": f"/{s}/export.csv",
        "feed": f"/{s}/feed.atom",
        "catalogue": "/catalog.jsonld",
        "report": f"/{s}/report.pdf",
    }


def staff_client(comune):
    """A test client signed in as an administrator of `comune` (created once per database)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from openmandato.core.models import Membership, Role

    user, _created = get_user_model().objects.get_or_create(username=f"bench-staff-{comune.pk}")
    Membership.objects.get_or_create(user=user, municipality=comune, role=Role.ADMINISTRATOR)
    client = Client()
    client.force_login(user)
    return client


# Pages about one comune (the others are national: their cost is measured against the number of comuni).
COMUNE_PAGES = ("comune", "action", "section", "actions list", "API list", "export.csv", "feed", "report")


def sql_costs(client, pages: dict[str, str]) -> dict[str, dict]:
    """Each page rendered in-process with the page cache off (a miss): its queries and their time."""
    from django.db import connection
    from django.test.utils import override_settings

    sql = {}
    with override_settings(PAGE_CACHE_SECONDS=0, API_RATE_ANON="1000000/m", REPORT_RATE="1000000/m"):
        for name, url in pages.items():
            runs = []
            for _ in range(3):
                connection.queries_log.clear()
                connection.force_debug_cursor = True
                response = client.get(url)
                connection.force_debug_cursor = False
                runs.append((len(connection.queries), sum(float(q["time"]) for q in connection.queries)))
            sql[name] = {
                "status": response.status_code,
                "queries": runs[-1][0],
                "sql_ms": round(statistics.median(r[1] for r in runs) * 1000, 2),
            }
    return sql


def measure_actions_sweep(database_url: str, sizes: list[int], var_dir: Path) -> dict:
    """SQL per comune page for comuni of 10, 1,000 and 10,000 actions, side by side in one database."""
    os.environ.update(
        DATABASE_URL=database_url,
        OPENMANDATO_VAR_DIR=str(var_dir),
        CACHE_URL=f"file://{var_dir / 'cache'}",
        DJANGO_SETTINGS_MODULE="openmandato.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from openmandato.ops import synthetic
    from openmandato.programs.models import Action, Municipality

    setup_test_environment()
    call_command("migrate", interactive=False, verbosity=0)
    by_size = {}
    for size in sizes:
        comune = (
            Municipality.objects.filter(mandates__is_current=True)
            .annotate(n=django.db.models.Count("mandates__actions"))
            .filter(n=size)
            .first()
        )
        if comune is None:
            before = set(Municipality.objects.values_list("pk", flat=True))
            synthetic.generate(1, size, 2, seed=1000 + size, batch_size=1)
            comune = Municipality.objects.exclude(pk__in=before).get()
        pages = {name: url for name, url in pages_of(comune).items() if name in COMUNE_PAGES}
        by_size[str(size)] = sql_costs(Client(), pages)
        print(
            f"{size:>6} actions: "
            + ", ".join(f"{n} {c['queries']} q {c['sql_ms']:.1f} ms" for n, c in by_size[str(size)].items()),
            flush=True,
        )
    return {
        "label": "pg-actions-per-comune",
        "database": connection.vendor,
        "municipalities": Municipality.objects.count(),
        "actions": Action.objects.count(),
        "sizes": by_size,
    }


# --- public pages from a streaming replica (DATABASE_REPLICA_URL) --------------------------------------

# Pages measured a second time with the shared page cache off (PAGE_CACHE_SECONDS=0): every request is
# rendered, so all of its reads go to the replica (with the cache on, a hit reads only the change marker).
CACHE_OFF_PAGES = ("comune", "action", "actions list", "search common", "API list")


def _stats_url(url: str) -> str:
    """The cluster's `postgres` database: reading the counters there does not add to openmandato's."""
    return url.rpartition("/")[0] + "/postgres"


class DatabaseCounters:
    """pg_stat_database of the openmandato database on the primary and on the replica."""

    QUERY = (
        "SELECT xact_commit, tup_returned, tup_fetched FROM pg_stat_database WHERE datname = 'openmandato'"
    )

    def __init__(self, primary_url: str, replica_url: str):
        import psycopg

        self.conns = {
            "primary": psycopg.connect(_stats_url(primary_url), autocommit=True),
            "replica": psycopg.connect(_stats_url(replica_url), autocommit=True),
        }

    def close(self) -> None:
        for conn in self.conns.values():
            conn.close()

    def read(self) -> dict:
        return {name: conn.execute(self.QUERY).fetchone() for name, conn in self.conns.items()}

    @staticmethod
    def delta(before: dict, after: dict) -> dict:
        """Transactions and rows read (tup_returned + tup_fetched) on each cluster between two reads."""
        out = {}
        for name in before:
            (x0, r0, f0), (x1, r1, f1) = before[name], after[name]
            out[name] = {"transactions": x1 - x0, "rows_read": (r1 - r0) + (f1 - f0)}
        return out

    def settle(self) -> dict:
        """Wait for the backends' pending counters (an idle backend flushes them after 10 s) and return
        what the two clusters did meanwhile: the idle baseline (the task worker polls the primary)."""
        before = self.read()
        time.sleep(STATS_SETTLE_S)
        return self.delta(before, self.read())

    def replay_lsn_reached(self, lsn) -> bool:
        row = self.conns["replica"].execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]).fetchone()
        return bool(row[0])

    def primary_lsn(self):
        return self.conns["primary"].execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]

    def wait_replayed(self, timeout: float = 600) -> float:
        """Seconds until the replica has replayed everything the primary has written so far."""
        started, lsn = time.monotonic(), self.primary_lsn()
        while not self.replay_lsn_reached(lsn):
            if time.monotonic() - started > timeout:
                raise SystemExit("the replica did not catch up")
            time.sleep(0.05)
        return time.monotonic() - started


STATS_SETTLE_S = 11  # PostgreSQL 15 flushes an idle backend's statistics after 10 s (PGSTAT_IDLE_INTERVAL)


def replica_lag(base: str, url: str, action, user, counters: DatabaseCounters, samples: int) -> dict:
    """A progress update written on the primary (record_progress, as the back-office does), then: how long
    until the replica has replayed it (its WAL position) and until the public page, read by an anonymous
    visitor through the replica, shows it. Milliseconds from the commit."""
    from openmandato.accountability.services import record_progress

    replayed, visible = [], []
    for index in range(samples):
        token = f"bench-lag-{os.getpid()}-{index}"
        record_progress(
            action,
            user=user,
            status="in_progress",
            progress=10 + index % 80,
            date=datetime.date.today(),
            note=f"Nota {token}",
        )
        committed = time.monotonic()
        lsn = counters.primary_lsn()
        while not counters.replay_lsn_reached(lsn):
            time.sleep(0.0005)
        replayed.append((time.monotonic() - committed) * 1000)
        deadline = committed + 60
        while True:
            with urllib.request.urlopen(base + url, timeout=30) as response:  # noqa: S310 - loopback
                if token.encode() in response.read():
                    break
            if time.monotonic() > deadline:
                raise SystemExit("the update never showed on the public page")
        visible.append((time.monotonic() - committed) * 1000)
        time.sleep(0.2)

    def summary(values: list[float]) -> dict:
        ordered = sorted(values)
        return {
            "median_ms": round(statistics.median(ordered), 1),
            "max_ms": round(ordered[-1], 1),
            "min_ms": round(ordered[0], 1),
        }

    return {"samples": samples, "replayed": summary(replayed), "visible_on_page": summary(visible)}


def measure_replica(
    label: str,
    primary_url: str,
    replica_url: str,
    municipalities: int,
    actions: int,
    duration: float,
    clients: int,
    workers: int,
    var_dir: Path,
) -> dict:
    """The anonymous pages served with DATABASE_URL=primary and DATABASE_REPLICA_URL=replica, each with
    what the two clusters did during its load; the staff pages as the control (they read the primary)."""
    load_average = {"start": os.getloadavg()}
    data = prepare(primary_url, municipalities, actions, var_dir)
    pages = data["pages"]
    from django.contrib.auth import get_user_model

    from openmandato.programs.models import Action

    comune = data["comune"]
    mandate = comune.mandates.get(is_current=True)
    leaves = Action.objects.filter(mandate=mandate, children__isnull=True, archived_at=None)
    action = leaves.order_by("tree_order")[leaves.count() // 2]
    user = get_user_model().objects.get(username=f"bench-staff-{comune.pk}")
    counters = DatabaseCounters(primary_url, replica_url)
    counters.wait_replayed()  # the staff user and whatever else the set-up wrote

    totals = {}

    def under_load(base: str, group: str, names, tag: str = "") -> dict:
        """Each page's load with the counters read around it (a busy backend sends its counters at most
        once a second, so up to a second of a page may be counted in the next one), then the group's exact
        total once the last counters have arrived."""
        measured, start = {}, counters.read()
        for name in names:
            before = counters.read()
            page = load_page(label + tag, base, name, data, duration, clients, workers)
            page.update(counters.delta(before, counters.read()))
            measured[name] = page
        counters.settle()
        totals[group] = {**counters.delta(start, counters.read()), "pages": list(names)}
        return measured

    replica_env = {"DATABASE_REPLICA_URL": replica_url}
    anonymous = [name for name in pages if not name.startswith("staff")]
    staff = [name for name in pages if name.startswith("staff")]
    lag_url = f"/{comune.slug}/actions/{action.pk}/"
    with serving(server_env(**replica_env), workers, var_dir / "serve-replica.log") as base:
        _warm(base + pages["report"], 120)  # the worker renders the PDF once; then it is served cached
        counters.settle()  # the warm-up's counters arrive
        idle = counters.settle()  # an idle window: what the clusters do with no request
        cache_on = under_load(base, "anonymous, page cache on", anonymous)
        cache_on.update(under_load(base, "staff (control: signed in, the primary)", staff))
        lag_idle = replica_lag(base, lag_url, action, user, counters, samples=10)
    load_average["after_cache_on"] = os.getloadavg()
    counters.wait_replayed()
    off_env = server_env(PAGE_CACHE_SECONDS="0", **replica_env)
    with serving(off_env, workers, var_dir / "serve-cache-off.log") as base:
        counters.settle()
        cache_off = under_load(base, "anonymous, page cache off", CACHE_OFF_PAGES, "/off")
        # the same write → page delay while wrk keeps the replica busy rendering the comune page
        background: dict = {}
        loader = threading.Thread(
            target=lambda: background.update(_wrk(base + pages["comune"], 15, clients)), daemon=True
        )
        loader.start()
        time.sleep(1)
        lag_busy = replica_lag(base, lag_url, action, user, counters, samples=10)
        loader.join()
    load_average["end"] = os.getloadavg()
    counters.close()
    sql = data["sql"]
    return {
        "label": label,
        "database": data["vendor"],
        "municipalities": len(data["comuni"]),
        "actions": data["actions"],
        "clients": clients,
        "workers": workers,
        "duration_s": duration,
        "replica": {
            "how": "DATABASE_URL=primary, DATABASE_REPLICA_URL=streaming replica (pg_basebackup -R), two "
            "PostgreSQL clusters of this machine on loopback; counters: pg_stat_database of the openmandato "
            "database on each cluster during each page's load (transactions = xact_commit, rows read = "
            "tup_returned + tup_fetched)",
            "idle_baseline": {**idle, "seconds": STATS_SETTLE_S},
            "totals": totals,
            "cache_off_pages": list(CACHE_OFF_PAGES),
        },
        "load_average": load_average,
        "pages": {
            name: {**cache_on[name], **sql[name], "url": pages[name], "page_cache": "on"} for name in pages
        },
        "pages_cache_off": {
            name: {**cache_off[name], **sql[name], "url": pages[name], "page_cache": "off"}
            for name in CACHE_OFF_PAGES
        },
        "lag": {
            "url": lag_url,
            "idle": {**lag_idle, "while": "server idle, page cache on"},
            "busy": {
                **lag_busy,
                "while": f"wrk on the comune page ({clients} clients, page cache off, "
                f"{background.get('rps', 0):.0f} req/s)",
            },
        },
    }


def run_replica(args, size: int) -> dict | None:
    """A primary and a streaming replica of it (pg_basebackup -R), each an OwnCluster on a free local port
    in a temporary folder, always destroyed; the data set loaded into the primary with the command."""
    sys.path.insert(0, str(ROOT))
    from openmandato.tests.servers import OwnCluster, free_port

    if not OwnCluster.available():
        print("pg-replica: skipped, the PostgreSQL server binaries (initdb) are not installed", flush=True)
        return None
    label = f"pg-replica-{size}"
    root = Path(tempfile.mkdtemp(prefix="om-bench-replica-"))
    root.chmod(0o755)  # the clusters inside run as the postgres user
    var_dir = root / "var"
    var_dir.mkdir()
    primary = OwnCluster(root / "primary", free_port())
    replica = OwnCluster(root / "replica", free_port())
    try:
        primary.create()
        replica.standby_of(primary)
        env = {**os.environ, "DATABASE_URL": primary.url, "OPENMANDATO_VAR_DIR": str(var_dir)}
        env["CACHE_URL"] = "locmem://"
        wal_before, started = primary.sql("SELECT pg_current_wal_lsn()"), time.monotonic()
        for command in (
            ["migrate", "--noinput", "-v", "0"],
            ["generate_synthetic", "--municipalities", str(size), "--actions-per-mandate", str(args.actions)],
        ):
            subprocess.run([sys.executable, "-m", "openmandato", *command], env=env, check=True)  # noqa: S603
        loaded = time.monotonic() - started
        wal_after = primary.sql("SELECT pg_current_wal_lsn()")
        while replica.sql(f"SELECT pg_last_wal_replay_lsn() >= '{wal_after}'::pg_lsn") != "t":
            time.sleep(0.05)
        caught_up = time.monotonic() - started - loaded
        wal = int(primary.sql(f"SELECT pg_wal_lsn_diff('{wal_after}', '{wal_before}')"))
        print(
            f"{label}: loaded {size} comuni into the primary in {loaded:.0f} s ({wal / 2**20:.0f} MB of "
            f"WAL); the replica had replayed it {caught_up:.2f} s later",
            flush=True,
        )
        out = var_dir / "result.json"
        command = [
            sys.executable,
            __file__,
            "--child-replica",
            label,
            primary.url,
            replica.url,
            str(size),
            str(args.actions),
            str(args.duration),
            str(args.clients),
            str(args.workers),
            str(var_dir),
            str(out),
        ]
        subprocess.run(command, check=True)  # noqa: S603
        result = json.loads(out.read_text())
        result["replica"].update(
            load_s=round(loaded, 1),
            load_wal_mb=round(wal / 2**20, 1),
            caught_up_after_load_s=round(caught_up, 2),
        )
        return result
    finally:
        replica.destroy()
        primary.destroy()
        shutil.rmtree(root, ignore_errors=True)


def _wait(url: str, server) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped")
        try:
            urllib.request.urlopen(url, timeout=5).read()  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


def _warm(url: str, seconds: float, headers: dict | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
                response.read()
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)


def _wrk(url: str, duration: float, clients: int, headers: dict | None = None) -> dict:
    header_args = [arg for key, value in (headers or {}).items() for arg in ("-H", f"{key}: {value}")]
    output = subprocess.run(  # noqa: S603
        [  # noqa: S607 - wrk from the system's PATH
            "wrk",
            "-t2",
            f"-c{clients}",
            f"-d{max(1, round(duration))}s",
            "--timeout",
            "10s",
            *header_args,
            "-s",
            str(LUA),
            url,
        ],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    figures["rps"] = round(figures["requests"] / figures["seconds"], 1) if figures["seconds"] else 0.0
    return figures


# --- the driver -----------------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named by `url` when it does not exist."""
    import psycopg
    from psycopg import sql as pgsql

    base, _sep, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(name)))


def run_child(args, label, database_url, municipalities, actions) -> dict:
    var_dir = Path(tempfile.mkdtemp(prefix=f"om-bench-{label}-"))
    out = var_dir / "result.json"
    command = [
        sys.executable,
        __file__,
        "--child",
        label,
        database_url,
        str(municipalities),
        str(actions),
        str(args.duration),
        str(args.clients),
        str(args.workers),
        str(var_dir),
        str(out),
    ]
    subprocess.run(command, check=True)  # noqa: S603
    result = json.loads(out.read_text())
    shutil.rmtree(var_dir, ignore_errors=True)
    return result


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child-actions":
        url, sizes, var_dir, out = sys.argv[2:]
        result = measure_actions_sweep(url, [int(n) for n in sizes.split(",")], Path(var_dir))
        Path(out).write_text(json.dumps(result))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--child-replica":
        label, primary, replica, municipalities, actions, duration, clients, workers, var_dir, out = sys.argv[
            2:
        ]
        result = measure_replica(
            label,
            primary,
            replica,
            int(municipalities),
            int(actions),
            float(duration),
            int(clients),
            int(workers),
            Path(var_dir),
        )
        Path(out).write_text(json.dumps(result))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        label, url, municipalities, actions, duration, clients, workers, var_dir, out = sys.argv[2:]
        result = measure(
            label,
            url,
            int(municipalities),
            int(actions),
            float(duration),
            int(clients),
            int(workers),
            Path(var_dir),
        )
        Path(out).write_text(json.dumps(result))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="the demo on SQLite only, short runs")
    parser.add_argument(
        "--pg", help="an empty PostgreSQL database for the national data sets (dropped rows: no)"
    )
    parser.add_argument(
        "--sizes", default=None, help="comuni per PostgreSQL data set, growing (default 2,80,800)"
    )
    parser.add_argument("--actions", type=int, default=100, help="actions per comune")
    parser.add_argument(
        "--action-sizes",
        default="10,1000,10000",
        help="SQL per page for comuni of these many actions (database: the --pg one + '_actions')",
    )
    parser.add_argument("--duration", type=float, default=None, help="seconds of load per page")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--table", action="store_true", help="print the table and plot from results/*.json")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo on SQLite (full runs)")
    parser.add_argument(
        "--replica-only",
        action="store_true",
        help="only the read-replica run: a primary and a streaming replica of it, two PostgreSQL clusters "
        "of our own on free local ports (needs the PostgreSQL server binaries; no --pg)",
    )
    parser.add_argument(
        "--replica-size",
        type=int,
        default=None,
        help="comuni for the replica run (default: the smallest of --sizes, 80 without --sizes)",
    )
    parser.add_argument("--no-replica", action="store_true", help="skip the replica run (full runs)")
    args = parser.parse_args()
    replica_size = args.replica_size or (min(int(n) for n in args.sizes.split(",")) if args.sizes else 80)
    args.sizes = args.sizes or "2,80,800"
    # every process started from here (children, `openmandato serve`, commands) runs this checkout's code
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    if args.table:
        print(table())
        return
    if shutil.which("wrk") is None:
        raise SystemExit("bench needs wrk (Debian: apt-get install wrk)")
    args.duration = args.duration or (2.0 if args.quick else 5.0)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H%M")
    RESULTS.mkdir(parents=True, exist_ok=True)
    machine_name = machine()

    def keep(run: dict) -> None:  # written at once: a later size that fails or is stopped loses nothing
        run.update(date=stamp, machine=machine_name)
        path = RESULTS / f"{stamp}-{'quick-' if args.quick else ''}{run['label']}.json"
        path.write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {path.relative_to(ROOT)}", flush=True)

    if args.replica_only:
        if args.quick:
            raise SystemExit("--replica-only is not part of the quick run")
        run = run_replica(args, replica_size)
        if run:
            keep(run)
        print(table())
        return
    if args.quick or not args.no_demo:
        demo_db = Path(tempfile.mkdtemp(prefix="om-bench-demo-")) / "demo.sqlite3"
        keep(run_child(args, "sqlite-demo", f"sqlite:///{demo_db}", 0, 0))
        shutil.rmtree(demo_db.parent, ignore_errors=True)
    if args.pg and not args.quick:
        sweep_db = args.pg + "_actions"
        ensure_database(sweep_db)
        var_dir = Path(tempfile.mkdtemp(prefix="om-bench-actions-"))
        command = [sys.executable, __file__, "--child-actions", sweep_db, args.action_sizes, str(var_dir)]
        subprocess.run([*command, str(var_dir / "result.json")], check=True)  # noqa: S603
        keep(json.loads((var_dir / "result.json").read_text()))
        shutil.rmtree(var_dir, ignore_errors=True)
        for size in [int(n) for n in args.sizes.split(",")]:
            keep(run_child(args, f"pg-{size}", args.pg, size, args.actions))
        if not args.no_replica:  # public pages read from a streaming replica (own clusters, not --pg)
            run = run_replica(args, replica_size)
            if run:
                keep(run)
    print(table())


def load_results() -> list[dict]:
    return [json.loads(path.read_text()) for path in sorted(RESULTS.glob("*.json"))]


def table() -> str:
    runs = load_results()
    latest: dict[str, dict] = {}
    for run in runs:  # the newest result of each data set
        latest[run["label"]] = run
    sweep = latest.pop("pg-actions-per-comune", None)
    replicas = [latest.pop(label) for label in list(latest) if "replica" in latest[label]]
    ordered = sorted(latest.values(), key=lambda r: (r["database"] != "sqlite", r["municipalities"]))
    lines = []
    for run in ordered:
        lines.append(
            f"\n**{run['label']}** — {run['municipalities']} comuni, {run['actions']} azioni, "
            f"{run['database']}, {run['workers']} gunicorn workers, {run['clients']} clients × "
            f"{run['duration_s']} s per page; {run['date']}, {run['machine']}\n"
        )
        lines.append(
            "| page | req/s | p50 ms | p95 ms | p99 ms | static req/s | % of static | queries | SQL ms |"
        )
        lines.append("|---|---|---|---|---|---|---|---|---|")
        for name, page in run["pages"].items():
            ratio = f"{page['ratio'] * 100:.1f} %" if page.get("ratio") is not None else "–"
            lines.append(
                f"| {name} | {page['rps']:.0f} | {page['p50']:.1f} | {page['p95']:.1f} | {page['p99']:.1f} "
                f"| {page['static_rps']:.0f} | {ratio} | {page['queries']} | {page['sql_ms']:.1f} |"
            )
    if sweep:
        sizes = list(sweep["sizes"])
        lines.append(
            f"\n**SQL per page against the size of the comune** — one comune of each size, "
            f"{sweep['database']}, page cache off; {sweep['date']}, {sweep['machine']}\n"
        )
        lines.append("| page | " + " | ".join(f"{int(n):,} actions: queries / SQL ms" for n in sizes) + " |")
        lines.append("|---|" + "---|" * len(sizes))
        for name in sweep["sizes"][sizes[0]]:
            costs = [sweep["sizes"][n][name] for n in sizes]
            cells = [f"{cost['queries']} / {cost['sql_ms']:.1f}" for cost in costs]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for run in sorted(replicas, key=lambda r: r["municipalities"]):
        lines.extend(replica_table(run))
    write_plot([r for r in ordered if r["database"] == "postgresql"] or ordered)  # no replica runs
    return "\n".join(lines)


def replica_table(run: dict) -> list[str]:
    loads = run.get("load_average", {})
    load = ", ".join(f"{name} {' / '.join(f'{v:.1f}' for v in values)}" for name, values in loads.items())
    idle = run["replica"]["idle_baseline"]
    lines = [
        f"\n**{run['label']}** — public pages from a streaming replica: {run['municipalities']} comuni, "
        f"{run['actions']} azioni, primary + replica (two PostgreSQL clusters on loopback), "
        f"{run['workers']} gunicorn workers, {run['clients']} clients × {run['duration_s']} s per page; "
        f"{run['date']}, {run['machine']}; load average (1/5/15 min) {load}\n",
        "| page | page cache | req/s | p50 ms | p95 ms | p99 ms | % of static "
        "| replica: transactions / rows read | primary: transactions / rows read |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    rows = [*run["pages"].items(), *run.get("pages_cache_off", {}).items()]
    for name, page in rows:
        ratio = f"{page['ratio'] * 100:.1f} %" if page.get("ratio") is not None else "–"
        cells = [f"{page[db]['transactions']:,} / {page[db]['rows_read']:,}" for db in ("replica", "primary")]
        lines.append(
            f"| {name} | {page['page_cache']} | {page['rps']:.0f} | {page['p50']:.1f} | {page['p95']:.1f} "
            f"| {page['p99']:.1f} | {ratio} | {cells[0]} | {cells[1]} |"
        )
    lines.append("\n| counted | replica: transactions / rows read | primary: transactions / rows read |")
    lines.append("|---|---|---|")
    groups = {f"idle, {idle['seconds']} s, no request": idle, **run["replica"].get("totals", {})}
    for group, counted in groups.items():
        cells = [
            f"{counted[db]['transactions']:,} / {counted[db]['rows_read']:,}" for db in ("replica", "primary")
        ]
        lines.append(f"| {group} | {cells[0]} | {cells[1]} |")
    lines.append(
        "\nThe task worker polls the primary even with no request. The data set was loaded into the primary "
        f"in {run['replica']['load_s']} s ({run['replica']['load_wal_mb']} MB of WAL); the replica had "
        f"replayed it {run['replica']['caught_up_after_load_s']} s after the command ended.\n"
    )
    lines.append(
        "| a progress update on the primary → | samples | replayed: median / max ms "
        "| on the public page: median / max ms |"
    )
    lines.append("|---|---|---|---|")
    for lag in run["lag"].values():
        if not isinstance(lag, dict):
            continue
        lines.append(
            f"| {lag['while']} | {lag['samples']} | {lag['replayed']['median_ms']:.1f} / "
            f"{lag['replayed']['max_ms']:.1f} | {lag['visible_on_page']['median_ms']:.1f} / "
            f"{lag['visible_on_page']['max_ms']:.1f} |"
        )
    return lines


def write_plot(runs: list[dict]) -> None:
    """p95 latency against the number of comuni, one line per page: a small hand-written SVG."""
    if not runs:
        return
    width, height, left, bottom, top, right = 760, 420, 60, 50, 20, 170
    # the anonymous pages (the staff rows are an order of magnitude slower: they are in the tables)
    names = [
        name
        for name in runs[0]["pages"]
        if not name.startswith("staff") and all(name in run["pages"] for run in runs)
    ]
    xs = [max(1, r["municipalities"]) for r in runs]
    peak = max(r["pages"][n]["p95"] for r in runs for n in names) or 1
    import math

    lx = [math.log10(x) for x in xs]
    lo, hi = min(lx), max(lx) if max(lx) > min(lx) else min(lx) + 1

    def px(x):
        return left + (math.log10(x) - lo) / (hi - lo) * (width - left - right)

    def py(y):
        return height - bottom - y / peak * (height - bottom - top)

    colours = [
        "#06c",
        "#c30",
        "#090",
        "#939",
        "#c90",
        "#099",
        "#333",
        "#f39",
        "#663",
        "#36c",
        "#9c3",
        "#c66",
        "#669",
    ]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
        f'font-size="11"><rect width="100%" height="100%" fill="white"/>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="black"/>',  # noqa: E501
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="black"/>',
        f'<text x="{(width - right + left) / 2}" y="{height - 12}" text-anchor="middle">comuni (log scale)</text>',  # noqa: E501
        f'<text x="14" y="{(height - bottom + top) / 2}" transform="rotate(-90 14 {(height - bottom + top) / 2})" '  # noqa: E501
        'text-anchor="middle">p95 latency, ms</text>',
    ]
    for x in xs:
        parts.append(f'<text x="{px(x):.1f}" y="{height - bottom + 15}" text-anchor="middle">{x}</text>')
    for i in range(5):
        value = peak * i / 4
        parts.append(f'<text x="{left - 5}" y="{py(value) + 4:.1f}" text-anchor="end">{value:.0f}</text>')
    for index, name in enumerate(names):
        colour = colours[index % len(colours)]
        points = " ".join(
            f"{px(x):.1f},{py(r['pages'][name]['p95']):.1f}" for x, r in zip(xs, runs, strict=True)
        )
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        for x, r in zip(xs, runs, strict=True):
            parts.append(
                f'<circle cx="{px(x):.1f}" cy="{py(r["pages"][name]["p95"]):.1f}" r="3" fill="{colour}"/>'
            )
        y = top + 14 * index + 8
        parts.append(
            f'<line x1="{width - right + 10}" y1="{y}" x2="{width - right + 30}" y2="{y}" '
            f'stroke="{colour}" stroke-width="2"/><text x="{width - right + 35}" y="{y + 4}">{name}</text>'
        )
    parts.append("</svg>")
    (RESULTS / "latency.svg").write_text("\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
