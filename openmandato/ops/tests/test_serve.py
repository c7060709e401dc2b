"""`openmandato serve` is the production stack: gunicorn serves the pages and static files (DEBUG off),
the task worker beside it runs background work, and one signal stops both."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from openmandato.tests.fixtures import build_world, free_port
from openmandato.tests.tasks_for_tests import write_marker
from openmandato.tests.worker import database_url


def _get(url: str) -> tuple[int, str, dict]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own loopback server
        return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)


def _wait_until_up(url: str, process, log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited ({process.returncode}): {log.read_text()[-3000:]}")
        try:
            _get(url)
            return
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{url} answered {error.code}: {log.read_text()[-3000:]}") from error
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"serve did not answer in 60 s: {log.read_text()[-3000:]}")


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as handle:
        return [int(child) for child in handle.read().split()]


@pytest.mark.django_db(transaction=True)
def test_serve_runs_gunicorn_and_the_worker_and_ctrl_c_stops_both(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    world = build_world()
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    env.update(
        DATABASE_URL=database_url(),
        SECRET_KEY=settings.SECRET_KEY,
        OPENMANDATO_VAR_DIR=str(tmp_path),
        CACHE_URL="locmem://",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        WEB_CONCURRENCY="2",
    )
    log = tmp_path / "serve.log"
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and entry point
        [sys.executable, "-m", "openmandato", "serve", "--bind", f"127.0.0.1:{port}", "--no-collectstatic"],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{base}/healthz", process, log)
        status, html, headers = _get(f"{base}/{world.municipality.slug}/")
        assert status == 200
        assert world.municipality.name in html
        assert "gunicorn" in headers.get("Server", "")
        # DEBUG is off: an unknown page is the site's own 404, not Django's debug page
        with pytest.raises(urllib.error.HTTPError) as missing:
            _get(f"{base}/{world.municipality.slug}/actions/999999/")
        assert missing.value.code == 404
        assert "Using the URLconf" not in missing.value.read().decode()
        # static files come from whitenoise (here from the apps' folders; collected copies in production)
        status, _icon, headers = _get(f"{base}/static/portal/favicon.ico")
        assert status == 200
        # the worker beside gunicorn runs background work
        marker = tmp_path / "marker.txt"
        write_marker.enqueue(str(marker), "fatto dal worker")
        deadline = time.monotonic() + 30
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert marker.read_text() == "fatto dal worker"
        children = _children(process.pid)
        assert len(children) == 2  # gunicorn's master and the task worker
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    for child in children:
        assert not os.path.exists(f"/proc/{child}"), f"process {child} outlived serve"
    with pytest.raises(OSError):
        _get(f"{base}/healthz")
    assert process.returncode == 0, log.read_text()[-3000:]


def test_serve_refuses_a_nonsense_worker_count(run_cli):
    result = run_cli("serve", "--workers", "0", "--no-collectstatic")
    assert result.returncode != 0
    assert "--workers and --threads must be at least 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_persistent_connections_with_health_checks_are_the_default():
    if "DATABASE_CONN_MAX_AGE" in os.environ:
        pytest.skip("DATABASE_CONN_MAX_AGE is set in this environment")
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 60
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
