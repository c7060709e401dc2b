"""NUL bytes, ids beyond 64 bits and oversized bodies are clear 400/413 answers, never a 500; the API
answers JSON whatever goes wrong."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"


def client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "url",
    [
        f"/valenza/actions/{HUGE}/",
        f"/valenza/sections/{HUGE}/",
        f"/valenza/areas/{HUGE}/",
        f"/valenza/evidence/{HUGE}/",
        f"/valenza/actions/{HUGE}/feed.atom",
        f"/valenza/actions/?section={HUGE}",
        "/search/?q=scuola%00",
        "/valenza/actions/?status=%00",
        "/compare/?q=%00",
    ],
)
def test_portal_answers_odd_input_with_a_short_italian_400(demo, url):
    response = client().get(url)
    assert response.status_code == 400
    body = response.content.decode()
    assert "fuori intervallo" in body or "non ammessi" in body
    assert "Traceback" not in body


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/actions/{HUGE}",
        f"/api/v1/actions?area={HUGE}",
        "/api/v1/actions?municipality=valenza%00",
        "/api/v1/does-not-exist",
    ],
)
def test_api_errors_are_json(demo, url):
    response = client().get(url)
    assert response.status_code in (400, 404)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_a_search_for_a_long_number_is_still_a_search(demo):
    assert client().get(f"/search/?q={HUGE}").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/tlog/valenza/checkpoints/%C2%B2",  # "²" passes str.isdigit() but not int()
        "/api/v1/tlog/valenza/entries?start=%C2%B2",
        "/api/v1/tlog/valenza/proof/inclusion?index=%D9%A3",  # Arabic-Indic three
    ],
)
def test_digits_that_are_not_ascii_are_a_400_not_a_crash(demo, url):
    response = client().get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")


def test_wrong_method_on_the_api_is_json(demo):
    response = client().delete("/api/v1/actions")
    assert response.status_code == 405 and response.json()["detail"]


def test_an_oversized_body_is_refused_on_its_content_length_before_reading(demo, settings):
    settings.REQUEST_MAX_BYTES = 1024
    read = []

    class Body:
        def read(self, *args):
            read.append(args)
            return b""

        readline = read

    response = client().generic(
        "POST",
        "/api/v1/actions/1/updates",
        data=b"",
        content_type="application/json",
        CONTENT_LENGTH=str(120 * 1024 * 1024),
        **{"wsgi.input": Body()},
    )
    assert response.status_code == 413
    assert "1 MB" in response.json()["detail"]
    assert read == []
    page = client().generic("POST", "/accounts/login/", data=b"x" * 2048, content_type="text/plain")
    assert page.status_code == 413 and "limite" in page.content.decode()


def test_a_bad_content_length_is_a_400(demo):
    response = client().generic("POST", "/api/v1/actions/1/updates", data=b"{}", CONTENT_LENGTH="-5")
    assert response.status_code == 400
