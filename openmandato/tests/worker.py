"""A real `openmandato db_worker` process against the test database, for tests of background work."""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection


def database_url() -> str:
    """The URL of the database the tests are using right now (the test database, not the configured one)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


class Worker:
    """One worker process; `drain()` waits until the queue holds nothing it could run now."""

    def __init__(self, var_dir: Path, extra_env: dict[str, str] | None = None):
        env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
        env.update(
            DATABASE_URL=database_url(),
            SECRET_KEY=settings.SECRET_KEY,  # signed links made by the test verify in the worker
            OPENMANDATO_VAR_DIR=str(var_dir),
            TASKS_BACKEND="django_tasks_db.DatabaseBackend",
            EMAIL_BACKEND=settings.EMAIL_BACKEND,
            EMAIL_HOST=settings.EMAIL_HOST,
            EMAIL_PORT=str(settings.EMAIL_PORT),
            TASK_RETRY_SECONDS=str(settings.TASK_RETRY_SECONDS),
            TASK_MAX_ATTEMPTS=str(settings.TASK_MAX_ATTEMPTS),
        )
        env.update(extra_env or {})
        self.log = var_dir / "worker.log"
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and entry point
            [sys.executable, "-m", "openmandato", "db_worker", "--queue-name", "*", "--interval", "0.1"]
            + ["--no-startup-delay", "--no-reload"],
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def drain(self, timeout: float = 30) -> None:
        """Wait until every task due before the timeout (retries included) has finished."""
        import datetime

        from django.db.models import Q
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult, get_date_max

        due_by = timezone.now() + datetime.timedelta(seconds=timeout)
        unfinished = DBTaskResult.objects.exclude(status__in=("SUCCESSFUL", "FAILED")).filter(
            Q(run_after=get_date_max()) | Q(run_after__lte=due_by)
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited ({self.process.returncode}): {self.output()}")
            if not unfinished.exists():
                return
            time.sleep(0.1)
        raise AssertionError(f"the worker did not finish its tasks in {timeout} s: {self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """Die at once, as a machine that loses power: no clean-up, the running task stays RUNNING."""
        self.process.kill()
        self.process.wait()
