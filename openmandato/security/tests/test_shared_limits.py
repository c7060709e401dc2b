"""Rate limits hold across several gunicorn workers sharing Redis: a limit of N per minute lets N
requests through, whatever worker answers and whatever X-Forwarded-For says; wrong passwords lock a
username out from that address, even for the right password; bad tokens get 429."""

import http.cookiejar
import re
import shutil
import urllib.parse
import urllib.request
import uuid

import pytest
import redis

from openmandato.tests.servers import base_env, gunicorn, request, run_manage

pytestmark = pytest.mark.single_run  # see pyproject.toml

REDIS_URL = "redis://127.0.0.1:6379/12"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """One migrated database with a staff user, copied for each test."""
    folder = tmp_path_factory.mktemp("limits")
    env = base_env(folder)
    run_manage(env, "migrate", "--noinput")
    run_manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.create_user('sindaca', 'sindaca@example.org', 'giusta-Password-1')",
    )
    return folder / "server.sqlite3"


@pytest.fixture
def server_env(tmp_path, migrated):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    shutil.copy(migrated, tmp_path / "server.sqlite3")
    prefix = f"om-harden:test-{uuid.uuid4().hex[:8]}"
    env = base_env(
        tmp_path,
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        API_RATE_ANON="20/d",  # a day-long window: no window boundary falls inside the test
        LOGIN_FAILURES_LIMIT="5",
        TOKEN_FAILURES_LIMIT="4",
    )
    yield env
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_the_api_limit_is_shared_by_every_worker_and_not_bypassed_by_forwarded_headers(server_env):
    with gunicorn(server_env, workers=3) as base:
        codes = [
            request(base + "/api/v1/municipalities", headers={"X-Forwarded-For": f"10.0.0.{i}"})[0]
            for i in range(40)
        ]
    assert codes.count(200) == 20 and codes.count(429) == 20, codes
    assert codes[:20] == [200] * 20


def test_forwarded_addresses_count_only_from_a_trusted_proxy(server_env):
    server_env["TRUSTED_PROXIES"] = "127.0.0.1"
    with gunicorn(server_env, workers=2) as base:
        first = [
            request(base + "/api/v1/municipalities", headers={"X-Forwarded-For": "203.0.113.7"})[0]
            for _ in range(21)
        ]
        other = request(base + "/api/v1/municipalities", headers={"X-Forwarded-For": "203.0.113.8"})[0]
    assert first[:20] == [200] * 20 and first[20] == 429
    assert other == 200


def login(base, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"username": "sindaca", "password": password, "csrfmiddlewaretoken": token})
    req = urllib.request.Request(  # noqa: S310
        base + "/accounts/login/", data=body.encode(), headers={"Referer": base + "/"}
    )
    try:
        with opener.open(req) as response:
            return response.status, response.url, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.url, error.read().decode()


def test_wrong_passwords_lock_the_login_out_even_for_the_right_password(server_env):
    with gunicorn(server_env, workers=3) as base:
        wrong = [login(base, f"sbagliata-{i}")[0] for i in range(5)]
        status, _url, body = login(base, "giusta-Password-1")
    assert wrong == [200] * 5  # the form again, with its error
    assert status == 429 and "Troppi tentativi" in body


def test_the_right_password_works_before_the_limit(server_env):
    with gunicorn(server_env, workers=2) as base:
        for i in range(3):
            login(base, f"sbagliata-{i}")
        status, url, _body = login(base, "giusta-Password-1")
    assert status == 200 and "/accounts/login/" not in url


def test_bad_tokens_get_429_after_a_few(server_env):
    with gunicorn(server_env, workers=3) as base:
        codes = [
            request(
                base + "/api/v1/actions/1/updates",
                method="POST",
                data=b"{}",
                headers={"Authorization": f"Bearer om_guess{i}", "Content-Type": "application/json"},
            )
            for i in range(6)
        ]
    assert [c[0] for c in codes] == [401, 401, 401, 401, 429, 429]
    assert int(codes[-1][1]["Retry-After"]) > 0
