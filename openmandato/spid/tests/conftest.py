"""The local OpenID Connect Federation: spid-cie-oidc's trust anchor and OpenID Provider, started from their
own virtualenv (.venv-federation, made by `make install-dev` from requirements/federation.lock) on
a free port of 127.0.0.1, with OpenMandato (the live server) onboarded as a Relying Party.

Without that virtualenv the tests that need it are skipped with the reason, except under CI=true where
they fail: nothing is downloaded at test time."""

import json
import os
import re
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from cryptojwt.jwk.jwk import key_from_jwk_dict
from django.core.cache import cache

from openmandato.spid.keys import generate_keys
from openmandato.tests.fixtures import free_port

REPO = Path(__file__).resolve().parents[3]
# Ports of this test run's own (two runs side by side, e.g. the SQLite and PostgreSQL suites, never meet).
FEDERATION_PORT = free_port()
FEDERATION_URL = f"http://127.0.0.1:{FEDERATION_PORT}/"
OP = FEDERATION_URL + "oidc/op/"
DOWN = f"http://127.0.0.1:{free_port()}/oidc/op/"  # nothing listens there
OP_MARK = FEDERATION_URL + "openid_provider/public/"
INTERMEDIATE_URL = f"http://127.0.0.1:{free_port()}/"
OP_BELOW_INTERMEDIATE = INTERMEDIATE_URL + "oidc/op/"


def federation_python() -> Path | None:
    candidate = Path(os.environ.get("FEDERATION_PYTHON", REPO / ".venv-federation" / "bin" / "python"))
    return candidate if candidate.exists() else None


class Federation:
    def __init__(self, python: Path, workdir: Path, rp_id: str, url: str = FEDERATION_URL, anchor: str = ""):
        self.python, self.workdir, self.rp_id, self.url = python, workdir, rp_id, url
        self.env = {
            **os.environ,
            "FEDERATION_URL": url,
            "FEDERATION_ANCHOR": anchor or url,
            "FEDERATION_DB": str(workdir / "federation.sqlite3"),
            "PYTHONPATH": str(REPO),
            "DJANGO_SETTINGS_MODULE": "openmandato.spid.federation_site.settings",
        }
        self.env.pop("DATABASE_URL", None)
        self.process = None
        self.changed = False

    def run(self, *args: str) -> None:
        self.changed = args[0] in ("revoke", "impostor", "expire")
        subprocess.run(  # noqa: S603 - the federation's own interpreter and our bootstrap module
            [str(self.python), "-m", "openmandato.spid.federation_site.bootstrap", *args],
            env=self.env,
            check=True,
            timeout=120,
            capture_output=True,
        )

    def start(self) -> None:
        log = open(self.workdir / "federation.log", "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(self.python),
                "-m",
                "django",
                "runserver",
                f"127.0.0.1:{urlsplit(self.url).port}",
                "--noreload",
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + ".well-known/openid-federation", timeout=1).ok:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"the local federation did not start; see {self.workdir / 'federation.log'}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def rp_server():
    """OpenMandato served over HTTP for the provider, which fetches our entity configuration. On
    127.0.0.1, not localhost: spid-cie-oidc refuses entity ids without a top-level domain but takes IPs."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def federation(rp_server, tmp_path_factory):
    python = federation_python()
    if python is None:
        reason = "the local federation's virtualenv (.venv-federation) is missing: run `make install-dev`"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    workdir = tmp_path_factory.mktemp("federation")
    keys = workdir / "rp-keys"
    generate_keys(keys)
    rp_public = workdir / "rp-federation-public.json"
    private = json.loads((keys / "federation.jwks.json").read_text())["keys"][0]
    rp_public.write_text(json.dumps({"keys": [key_from_jwk_dict(private).serialize(private=False)]}))
    fed = Federation(python, workdir, rp_server.url + "/")
    fed.run(fed.rp_id, str(rp_public), str(workdir / "onboarding"))
    fed.keys = keys
    fed.trust_anchors = json.loads((workdir / "onboarding" / "trust-anchors.json").read_text())
    fed.rp_trust_marks = json.loads((workdir / "onboarding" / "rp-trust-marks.json").read_text())
    fed.start()
    yield fed
    fed.stop()


@pytest.fixture(scope="session")
def intermediate(federation, tmp_path_factory):
    """A second spid-cie-oidc process as an intermediate: a subordinate of the trust anchor (which states
    its keys) and the superior of its own OpenID Provider. Started only by the test that asks for it."""
    workdir = tmp_path_factory.mktemp("intermediate")
    fed = Federation(
        federation.python, workdir, federation.rp_id, url=INTERMEDIATE_URL, anchor=FEDERATION_URL
    )
    fed.run("intermediate", str(workdir / "onboarding"))
    federation.run(
        "add-subordinate", INTERMEDIATE_URL, str(workdir / "onboarding" / "intermediate-jwks.json")
    )
    fed.start()
    yield fed
    fed.stop()


@pytest.fixture
def spid_on(settings, federation):
    """OpenMandato configured as the onboarded Relying Party, SPID and CIE on beside e-mail."""
    settings.LOGIN_METHODS = ["email", "spid", "cie"]
    settings.SPID_RP_ENTITY_ID = federation.rp_id
    settings.SITE_URL = federation.rp_id.rstrip("/")
    settings.SPID_KEYS_DIR = federation.keys
    settings.SPID_PROVIDERS = [(OP, "Local test SPID"), (DOWN, "Provider spento")]
    settings.CIE_PROVIDERS = [(OP, "CIE id (locale)")]
    settings.OIDCFED_TRUST_ANCHORS = federation.trust_anchors
    settings.OIDCFED_AUTHORITY_HINTS = list(federation.trust_anchors)
    settings.OIDCFED_REQUIRED_TRUST_MARKS = [OP_MARK]
    settings.SPID_RP_TRUST_MARKS = federation.rp_trust_marks
    settings.OIDCFED_HTTP_TIMEOUT = 3
    cache.clear()  # resolved trust chains
    yield federation
    cache.clear()
    if federation.changed:
        federation.run("restore")


def _form(page: str) -> tuple[str | None, dict]:
    match = re.search(r"<form(.*?)</form>", page, re.S)
    if not match:
        return None, {}
    action = re.search(r'action="([^"]*)"', match.group(1))
    fields = {
        name: unescape(value)
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', match.group(1))
    }
    return (unescape(action.group(1)) if action else None), fields


def sign_in_at_provider(
    authorization_url: str, username: str, password: str, provider_url=FEDERATION_URL
) -> str:
    """A person at the provider: logs in and consents, following its redirects; returns the URL the
    provider sends them back to (OpenMandato's callback), without following it."""
    browser = requests.Session()
    response = browser.get(authorization_url, timeout=10, allow_redirects=False)
    credentials = {"username": username, "password": password}
    for _step in range(6):
        if response.status_code in (301, 302, 303):
            location = urljoin(response.url, response.headers["Location"])
            if not location.startswith(provider_url):
                return location
            response = browser.get(location, timeout=10, allow_redirects=False)
            continue
        action, fields = _form(response.text)
        assert response.status_code == 200 and fields, response.text[:500]
        if "password" in response.text:
            fields.update(credentials)
        response = browser.post(
            urljoin(response.url, action or response.url), data=fields, timeout=10, allow_redirects=False
        )
    raise AssertionError("the provider never sent the person back")


@pytest.fixture
def provider_login():
    return sign_in_at_provider
