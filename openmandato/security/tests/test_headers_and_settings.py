"""A Content-Security-Policy without inline scripts on every page, HTTPS settings when HTTPS=true, a
clean `check --deploy` with the documented production environment, and a README that lists every
environment variable the settings read."""

import re
import secrets
from pathlib import Path

import pytest
from django.test import Client

from openmandato.env import cache_from_environment
from openmandato.programs.models import Action

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
PAGES = [
    "/",
    "/valenza/",
    "/valenza/actions/",
    "/valenza/come-calcoliamo/",
    "/valenza/dati-aperti/",
    "/search/?q=scuola",
    "/compare/?q=scuola",
    "/accounts/login/",
    "/admin/login/",
    "/api/v1/docs",
    "/nonexistent-page/",
    "/api/v1/municipalities",
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def test_every_page_has_a_policy_without_inline_scripts(demo):
    client = Client()
    action = Action.objects.filter(mandate__municipality__slug="valenza").leaves().first()
    pages = PAGES + [action.get_absolute_url(), f"/valenza/sections/{action.section_id}/"]
    for url in pages:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'", url
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
        if response["Content-Type"].startswith("text/html"):
            body = response.content.decode()
            assert not INLINE_SCRIPT.search(body), (url, INLINE_SCRIPT.search(body))
            assert not HANDLER.search(body), (url, HANDLER.search(body))


def test_templates_hold_no_inline_scripts_or_handlers():
    for template in (ROOT / "openmandato").rglob("templates/**/*.html"):
        text = template.read_text()
        assert not INLINE_SCRIPT.search(text), template
        assert not HANDLER.search(text), template


def test_with_https_plain_http_is_redirected_and_hsts_sent(demo, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    plain = Client(REMOTE_ADDR="10.0.0.1").get("/valenza/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    proxied = Client(REMOTE_ADDR="10.0.0.1").get("/valenza/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200 and "max-age=31536000" in proxied["Strict-Transport-Security"]
    # a client that is not our proxy cannot claim HTTPS
    spoofed = Client(REMOTE_ADDR="198.51.100.9").get("/valenza/", HTTP_X_FORWARDED_PROTO="https")
    assert spoofed.status_code == 301
    assert Client().get("/healthz").status_code == 200  # load balancers probe over HTTP


def production_env(tmp_path) -> dict:
    return {
        "HTTPS": "true",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "mandato.comune.example.it",
        "CSRF_TRUSTED_ORIGINS": "https://mandato.comune.example.it",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/12",
        "TRUSTED_PROXIES": "127.0.0.1",
    }


def test_check_deploy_is_clean_with_the_documented_production_environment(run_cli, tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text()
    for name in production_env(tmp_path):
        assert f"{name}=" in readme, name  # the production example in the README sets it
    for name, value in production_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    result = run_cli(
        "check", "--deploy", "--fail-level", "WARNING", database_url=production_env(tmp_path)["DATABASE_URL"]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr
    monkeypatch.delenv("HTTPS")
    insecure = run_cli("check", "--deploy", "--fail-level", "WARNING")
    assert insecure.returncode != 0  # the check can fail: without HTTPS it warns


def test_every_environment_variable_is_in_the_readme_table():
    read = set()
    for source in [ROOT / "openmandato" / "settings.py", ROOT / "openmandato" / "env.py"]:
        read |= set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_]+)"', source.read_text()))
    table = (ROOT / "README.md").read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    missing = sorted(name for name in read if f"`{name}`" not in table)
    assert read and missing == []


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({"REDIS_URL": "redis://127.0.0.1:6379/12"}, "cache.SharedRedisCache"),
        ({"CACHE_URL": "redis://127.0.0.1:6379/12"}, "cache.SharedRedisCache"),
        ({"CACHE_URL": "db://cache_table"}, "db.DatabaseCache"),
        ({"CACHE_URL": "locmem://"}, "locmem.LocMemCache"),
        ({}, "db.DatabaseCache"),
    ],
)
def test_the_cache_comes_from_the_environment(monkeypatch, tmp_path, env, backend):
    for name in ("REDIS_URL", "CACHE_URL", "CACHE_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert cache_from_environment(tmp_path)["BACKEND"].endswith(backend)
