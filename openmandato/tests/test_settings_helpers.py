import pytest
from django.core.exceptions import ImproperlyConfigured

from openmandato.env import env_bool, env_int, env_list
from openmandato.secret import load_or_create_secret_key


def test_env_bool_reads_common_spellings_and_refuses_others(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be a boolean"):
        env_bool("FLAG")
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", True) is True


def test_env_int_and_env_list(monkeypatch):
    monkeypatch.setenv("N", "12")
    assert env_int("N", 3) == 12
    monkeypatch.setenv("N", "twelve")
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 3)
    monkeypatch.setenv("HOSTS", "example.org, www.example.org ,")
    assert env_list("HOSTS", []) == ["example.org", "www.example.org"]


def test_the_secret_key_is_generated_once_and_kept(tmp_path):
    path = tmp_path / "var" / "secret_key"
    first = load_or_create_secret_key(path)
    assert len(first) >= 50
    assert load_or_create_secret_key(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_settings_come_from_the_environment(run_cli, tmp_path):
    result = run_cli(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])",
    )
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3"]
    assert (tmp_path / "secret_key").exists()
