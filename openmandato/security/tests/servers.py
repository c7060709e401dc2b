"""Real server processes for the tests that need several workers: gunicorn on a throw-away database."""

from __future__ import annotations

import contextlib
import os
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
