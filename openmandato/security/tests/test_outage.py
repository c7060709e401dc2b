"""While the database is unreachable every page answers 503 with Retry-After (a short Italian page, JSON
under /api/), the log gets one line per failure and no traceback, and the service recovers by itself
when the database comes back."""

import json
import tempfile
from pathlib import Path

import pytest

from openmandato.tests.servers import OwnCluster, base_env, free_port, gunicorn, request, run_manage

pytestmark = pytest.mark.single_run  # see pyproject.toml

VALENZA = Path(__file__).resolve().parents[2] / "demo" / "data" / "valenza-programma-elettorale-2020-2025.txt"
PAGES = ["/", "/valenza/", "/api/v1/actions?municipality=valenza", "/valenza/actions/"]


def assert_unavailable(base):
    for path in PAGES:
        status, headers, body = request(base + path)
        assert status == 503, (path, status, body[:300])
        assert int(headers["Retry-After"]) > 0
        if path.startswith("/api/"):
            assert json.loads(body)["detail"]
        else:
            assert "Servizio momentaneamente non disponibile" in body.decode()


def test_a_closed_database_port_gives_503_and_one_log_line_per_failure(tmp_path):
    env = base_env(
        tmp_path, DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/nothing", CACHE_URL="locmem://"
    )
    log = tmp_path / "server.log"
    with gunicorn(env, workers=2, log=log) as base:
        assert_unavailable(base)
        health = request(base + "/healthz")
        assert health[0] == 503
    text = log.read_text()
    assert "Traceback" not in text
    lines = [line for line in text.splitlines() if "database unavailable (503)" in line]
    assert len(lines) == len(PAGES), text[-3000:]


@pytest.mark.skipif(not OwnCluster.available(), reason="PostgreSQL server binaries are not installed")
def test_the_service_recovers_by_itself_when_the_database_returns(tmp_path):
    cluster = OwnCluster(Path(tempfile.mkdtemp(prefix="om-harden-pg-")), 5442)  # readable by postgres
    cluster.create()
    try:
        env = base_env(tmp_path, DATABASE_URL=cluster.url, CACHE_URL="locmem://")
        run_manage(env, "migrate", "--noinput")
        run_manage(env, "import_program", str(VALENZA))  # the pages below are Valenza's
        with gunicorn(env, workers=2, log=tmp_path / "server.log") as base:
            assert request(base + "/valenza/")[0] == 200
            cluster.stop()
            assert_unavailable(base)
            cluster.start()
            assert [request(base + path)[0] for path in PAGES] == [200] * len(PAGES)
        assert "Traceback" not in (tmp_path / "server.log").read_text()
    finally:
        cluster.destroy()
