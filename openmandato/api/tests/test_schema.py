"""Schemathesis generates requests from our OpenAPI schema: no 5xx, no response outside the schema."""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from openmandato.accountability.services import record_progress
from openmandato.api.models import ApiToken
from openmandato.programs.models import Action
from openmandato.tests.fixtures import PAST, make_user
from openmandato.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly fires request_finished, which would close the test's database
    connection (and its transaction); Django's own test client disconnects the handler the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(db, keep_test_connection, valenza_path, cremona_path, settings):
    settings.API_RATE_ANON = "100000/m"
    settings.API_RATE_TOKEN = "100000/m"
    call_command("import_program", str(valenza_path), verbosity=0)
    call_command("import_program", str(cremona_path), "--municipality", "Cremona", verbosity=0)
    for action in Action.objects.leaves()[:10]:
        record_progress(action, user=None, system=True, status="in_progress", progress=10, date=PAST)
    _token, secret = ApiToken.issue(make_user("api-superuser", superuser=True), "schemathesis")
    return secret


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_the_api_honours_its_schema(case, seeded):
    headers = {"Authorization": f"Bearer {seeded}"} if case.method == "POST" else None
    case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])


HOSTILE_CASES = [
    # (path, method, path parameters, query, JSON body)
    ("/actions", "GET", {}, {"municipality": "valenza\x00"}, None),
    ("/actions", "GET", {}, {"q": "scuola\x00"}, None),
    ("/actions", "GET", {}, {"section": "99999999999999999999999"}, None),
    ("/mandates", "GET", {}, {"municipality": "\x00"}, None),
    ("/municipalities/{slug}", "GET", {"slug": "a\x00b"}, {}, None),
    ("/actions/{action_id}", "GET", {"action_id": "99999999999999999999999"}, {}, None),
    ("/mandates/{mandate_id}/sections", "GET", {"mandate_id": "18446744073709551616"}, {}, None),
    (
        "/actions/{action_id}/updates",
        "POST",
        {"action_id": "1"},
        {},
        {"status": "in_progress", "progress": 5, "date": "2024-01-01", "note": "a\x00b"},
    ),
    (
        "/actions/{action_id}/updates",
        "POST",
        {"action_id": "1"},
        {},
        {"status": "in_progress", "progress": 5, "date": "2024-01-01", "corrects": 10**30},
    ),
    (
        "/indicators/{indicator_id}/measurements",
        "POST",
        {"indicator_id": "1"},
        {},
        {"date": "2024-01-01", "value": "1", "note": "\x00"},
    ),
]


@pytest.mark.parametrize(("path", "method", "path_parameters", "query", "body"), HOSTILE_CASES)
def test_nul_bytes_and_huge_ids_are_clear_json_errors(seeded, path, method, path_parameters, query, body):
    operation = schema["/api/v1" + path][method]
    kwargs = {"path_parameters": path_parameters, "query": query}
    if body is not None:
        kwargs["body"] = body
        kwargs["media_type"] = "application/json"
    case = operation.Case(**kwargs)
    headers = {"Authorization": f"Bearer {seeded}"} if method == "POST" else None
    response = case.call(headers=headers)
    assert response.status_code in (400, 404, 422), response.text
    content_type = {k.lower(): v for k, v in response.headers.items()}["content-type"]
    assert (content_type[0] if isinstance(content_type, list) else content_type).startswith(
        "application/json"
    )
    detail = response.json()["detail"]
    assert detail and "\n" not in str(detail)
