"""DATABASE_REPLICA_URL against a real PostgreSQL streaming replica: a second cluster made with
pg_basebackup -R on another local port, fed by the primary's WAL.

Anonymous pages are read from the replica: while the replica's replay is paused, a comune imported on
the primary is not on the public pages; once replay resumes it appears without a restart. Writes go
to the primary (the replica is read-only and the import succeeds)."""

import shutil
import tempfile
import time
from pathlib import Path

import pytest

from openmandato.tests.servers import OwnCluster, base_env, free_port, gunicorn, request, run_manage

pytestmark = pytest.mark.single_run  # see pyproject.toml

DATA = Path(__file__).resolve().parents[2] / "demo" / "data"
VALENZA = DATA / "valenza-programma-elettorale-2020-2025.txt"
CREMONA = DATA / "cremona-linee-di-mandato-2019.txt"


def home(base: str) -> str:
    status, _headers, body = request(base + "/")
    assert status == 200
    return body.decode()


@pytest.mark.skipif(not OwnCluster.available(), reason="PostgreSQL server binaries are not installed")
def test_public_pages_follow_a_real_streaming_replica(tmp_path):
    root = Path(tempfile.mkdtemp(prefix="om-replica-"))
    root.chmod(0o755)  # the clusters inside run as the postgres user
    primary = OwnCluster(root / "primary", free_port())
    replica = OwnCluster(root / "replica", free_port())
    primary.create()
    try:
        env = base_env(tmp_path, DATABASE_URL=primary.url, CACHE_URL="locmem://")
        run_manage(env, "migrate", "--noinput")
        run_manage(env, "import_program", str(VALENZA))
        replica.standby_of(primary)
        assert replica.sql("SELECT pg_is_in_recovery()") == "t"
        with gunicorn({**env, "DATABASE_REPLICA_URL": replica.url}, workers=2) as base:
            assert "Valenza" in home(base)

            replica.sql("SELECT pg_wal_replay_pause()")
            run_manage(env, "import_program", str(CREMONA), "--municipality", "Cremona")
            assert primary.sql("SELECT count(*) FROM programs_municipality") == "2"
            assert "Cremona" not in home(base)  # read from the paused replica
            assert request(base + "/cremona/")[0] == 404

            replica.sql("SELECT pg_wal_replay_resume()")
            deadline = time.monotonic() + 30
            while "Cremona" not in home(base):
                assert time.monotonic() < deadline, "the replica never caught up"
                time.sleep(0.2)
            assert request(base + "/cremona/")[0] == 200
    finally:
        replica.destroy()
        primary.destroy()
        shutil.rmtree(root, ignore_errors=True)
