"""Real server processes for the tests that need several workers: gunicorn on a throw-away database."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_manage(env: dict, *args: str, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and entry point
        [sys.executable, "-m", "openmandato", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=check,
    )


def base_env(tmp_path: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "CACHE_BACKEND")}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'server.sqlite3'}",
        OPENMANDATO_VAR_DIR=str(tmp_path),
        SECRET_KEY="test-" + "x" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    env.update(extra)
    return env


@contextlib.contextmanager
def gunicorn(env: dict, workers: int = 3, log: Path | None = None):
    port = free_port()
    log_file = open(log or os.devnull, "w")  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "openmandato.wsgi:application",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
        ],
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/static/portal/site.css", timeout=10)  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log_file.close()


def request(url: str, *, method="GET", data: bytes | None = None, headers=None) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


PG_BIN = next(
    (p for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True) if (p / "initdb").exists()),
    Path("/usr/lib/postgresql/15/bin"),
)


class OwnCluster:
    """A throw-away PostgreSQL cluster of our own (never the shared one), that we can stop and start."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = Path(folder), port
        self.data = self.folder / "data"

    def _run(self, *args: str, check=True):
        command = " ".join(args)
        argv = ["/bin/sh", "-c", command]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            argv = ["/usr/bin/su", "postgres", "-s", "/bin/sh", "-c", command]
        return subprocess.run(argv, check=check, capture_output=True)  # noqa: S603

    @classmethod
    def available(cls) -> bool:
        return (PG_BIN / "initdb").exists()

    def create(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")
        self.start()
        self._run(
            str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "openmandato"
        )

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/openmandato"

    def start(self):
        options = f"'-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1'"
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "log"),
            "-w",
            "start",
        )

    def standby_of(self, primary: OwnCluster) -> None:
        """Make this cluster a streaming replica of `primary` (pg_basebackup -R) and start it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run(
            str(PG_BIN / "pg_basebackup"),
            *("-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"),
            *("-D", str(self.data), "-R", "-X", "stream", "-c", "fast"),
        )
        self.start()

    def sql(self, query: str) -> str:
        """One value from psql on this cluster (database openmandato)."""
        result = self._run(
            str(PG_BIN / "psql"),
            *("-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "openmandato"),
            *("-At", "-c", f'"{query}"'),
        )
        return result.stdout.decode().strip()

    def stop(self):
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def destroy(self):
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
