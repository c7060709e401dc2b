"""A fresh install without Redis uses the database cache: `migrate` must create its table, or the first
login (which counts failures in the cache) fails. The test suite swaps in a memory cache, so only a
real `migrate` in a separate process, with the environment a fresh `make run` has, shows this."""

import os
import sqlite3
import subprocess
import sys

import pytest

pytestmark = pytest.mark.single_run  # see pyproject.toml


def test_migrate_creates_the_database_cache_table_and_a_login_works(tmp_path):
    database = tmp_path / "fresh.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL", "CACHE_BACKEND")}
    env.update(DATABASE_URL=f"sqlite:///{database}", OPENMANDATO_VAR_DIR=str(tmp_path))
    env.pop("DEBUG", None)
    migrate = subprocess.run(  # noqa: S603 - our own interpreter and entry point
        [sys.executable, "-m", "openmandato", "migrate", "--noinput"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "openmandato_cache" in tables
    login = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'openmandato.settings');"
            "django.setup();"
            "from django.test import Client;"
            "r = Client().post('/accounts/login/', {'username': 'nobody', 'password': 'wrong'});"
            "print(r.status_code)",
        ],
        capture_output=True,
        text=True,
        env={**env, "ALLOWED_HOSTS": "testserver"},
        timeout=120,
    )
    assert login.stdout.strip() == "200", login.stderr[-2000:]  # the form again, with its error
