import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEMO_DATA = Path(__file__).resolve().parent / "demo" / "data"
CREMONA = DEMO_DATA / "cremona-linee-di-mandato-2019.txt"
VALENZA = DEMO_DATA / "valenza-programma-elettorale-2020-2025.txt"


def pytest_collection_modifyitems(items):
    """A test that only runs the command line on its own throw-away SQLite file (`run_cli`, no database
    fixture) does not depend on the suite's database: mark it `single_run`."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if (
            "run_cli" in names
            and not names & {"db", "transactional_db"}
            and not item.get_closest_marker("django_db")
        ):
            item.add_marker(pytest.mark.single_run)


@pytest.fixture
def cremona_path() -> Path:
    return CREMONA


@pytest.fixture
def valenza_path() -> Path:
    return VALENZA


@pytest.fixture
def run_cli(tmp_path):
    """Run the real `openmandato` console entry point in a subprocess, on a throw-away SQLite file."""

    def run(*args: str, database_url: str | None = None) -> subprocess.CompletedProcess:
        env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "SECRET_KEY")}
        env["DATABASE_URL"] = database_url or f"sqlite:///{tmp_path / 'cli.sqlite3'}"
        env["OPENMANDATO_VAR_DIR"] = str(tmp_path)
        return subprocess.run(  # noqa: S603 - our own interpreter and entry point
            [sys.executable, "-m", "openmandato", *args], capture_output=True, text=True, env=env, timeout=120
        )

    return run


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def process_local_cache(settings):
    """Tests count rate limits in a per-process cache (tests of the shared cache set their own)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    """Tests measure what a page costs to render; the tests of the shared page cache turn it on."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Tasks run at once in the test's own process unless a test asks for a real worker (`task_worker`)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def task_worker(transactional_db, settings, tmp_path):
    """Start real `openmandato db_worker` processes on the test database: `worker = task_worker()`.

    Request `smtp_server` before this fixture so that the worker sends to it. Tasks enqueued by the
    test go to the database queue; `worker.drain()` waits until they have run.
    """
    from openmandato.tests.worker import Worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    started = []

    def start(**extra_env: str) -> Worker:
        folder = tmp_path / f"worker{len(started)}"
        folder.mkdir()
        started.append(Worker(folder, extra_env))
        return started[-1]

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture(scope="module")
def browser():
    """Real headless Chromium (Debian's package) for the browser tests of every app."""
    from openmandato.tests.browser import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture
def world(db):
    """Two comuni and a user of every role (see openmandato/tests/fixtures.py)."""
    from openmandato.tests.fixtures import build_world

    return build_world()


TEST_SETTINGS = {  # what the autouse fixtures above set, for data built once per session
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    "PAGE_CACHE_SECONDS": 0,
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
}


def _load_demo() -> None:
    from django.conf import settings
    from django.core.management import call_command

    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    shutil.copy(Path(settings.VAR_DIR) / "demo_password", Path(settings.VAR_DIR) / "demo_password.built")


def _import_programs() -> None:
    from django.core.management import call_command

    call_command("import_program", str(VALENZA), verbosity=0)
    call_command("import_program", str(CREMONA), "--municipality", "Cremona", verbosity=0)


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """load_demo run once per session through the real code; `demo` writes its rows back per test."""
    from django.test import override_settings

    from openmandato.tests.snapshot import Snapshot

    var_dir = tmp_path_factory.mktemp("demo-var")
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var_dir, **TEST_SETTINGS):
        snapshot = Snapshot(_load_demo).capture()
    snapshot.password = (var_dir / "demo_password").read_text()
    return snapshot


@pytest.fixture(scope="session")
def programs_snapshot(django_db_setup, django_db_blocker):
    """Both sample programs imported once per session (no history); `programs` writes them back."""
    from django.test import override_settings

    from openmandato.tests.snapshot import Snapshot

    with django_db_blocker.unblock(), override_settings(**TEST_SETTINGS):
        return Snapshot(_import_programs).capture()


@pytest.fixture
def demo(db, tmp_path, settings, demo_snapshot):
    """The demo instance (load_demo): Valenza and Cremona with updates, evidence and a signed log."""
    settings.VAR_DIR = tmp_path
    (tmp_path / "demo_password").write_text(demo_snapshot.password)
    demo_snapshot.restore()


@pytest.fixture
def programs(db, programs_snapshot):
    """Valenza's and Cremona's programs imported from the sample documents (no history)."""
    programs_snapshot.restore()


@pytest.fixture
def indicator(world):
    """An indicator on the world's first action: 0 → 100 trees between 2020 and 2025."""
    from openmandato.accountability.models import Indicator

    return Indicator.objects.create(
        action=world.action_a,
        name="Alberi",
        unit="n",
        baseline=0,
        baseline_date=datetime.date(2020, 1, 1),
        target=100,
        target_date=datetime.date(2025, 1, 1),
    )


@pytest.fixture
def smtp_server(settings):
    """Start a real SMTP server and point Django's SMTP backend at it."""
    from aiosmtpd.controller import Controller

    from openmandato.tests.fixtures import Mailbox, free_port

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield mailbox
    controller.stop()
