import datetime

import pytest
from django.test import Client

from openmandato.accountability.models import Indicator, Measurement, ProgressUpdate
from openmandato.accountability.services import record_progress
from openmandato.api.models import ApiToken
from openmandato.tests.fixtures import PAST, bearer, post_update

ALL = ["citizen", "manager_a", "manager_b", "other_admin", "editor", "admin"]
UPDATERS = {"manager_a", "admin"}


@pytest.mark.parametrize("who", ALL)
def test_writes_follow_the_back_office_roles(world, who):
    response = post_update(world, bearer(world, who))
    assert response.status_code == (201 if who in UPDATERS else 403), response.content
    assert ProgressUpdate.objects.count() == (1 if who in UPDATERS else 0)


def test_writes_need_a_valid_unrevoked_token(world):
    assert post_update(world, {}).status_code == 401
    assert post_update(world, {"HTTP_AUTHORIZATION": "Bearer om_not-a-token"}).status_code == 401
    token, secret = ApiToken.issue(world.users["admin"], "revoked")
    token.revoked_at = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    token.save()
    assert post_update(world, {"HTTP_AUTHORIZATION": f"Bearer {secret}"}).status_code == 401
    assert ProgressUpdate.objects.count() == 0


def test_a_posted_update_is_chained_and_claims_need_a_source(world):
    headers = bearer(world, "admin")
    refused = post_update(world, headers, status="done", progress=100)
    assert refused.status_code == 400 and "serve una fonte" in refused.json()["detail"]
    act = {
        "act_kind": "determina",
        "act_number": "12/2024",
        "act_date": PAST.isoformat(),
        "url": "https://albo.example.org/12",
    }
    created = post_update(world, headers, status="done", progress=100, acts=[act]).json()
    assert created["status"] == "done" and len(created["ledger_hash"]) == 64
    assert created["evidence"][0]["act_number"] == "12/2024"
    stale = post_update(world, headers, based_on=None)
    assert stale.status_code == 409


def test_measurements_via_api(world):
    indicator = Indicator.objects.create(
        action=world.action_a,
        name="Alberi",
        unit="n",
        baseline=0,
        target=100,
        baseline_date=datetime.date(2020, 1, 1),
        target_date=datetime.date(2025, 1, 1),
    )
    url = f"/api/v1/indicators/{indicator.pk}/measurements"
    body = {"date": PAST.isoformat(), "value": 25}
    assert (
        Client().post(url, body, content_type="application/json", **bearer(world, "manager_b")).status_code
        == 403
    )
    response = Client().post(url, body, content_type="application/json", **bearer(world, "manager_a"))
    assert response.status_code == 201 and response.json()["value"] == 25
    assert Measurement.objects.get().indicator == indicator


def test_actions_filter_and_cursor_pagination(world):
    record_progress(world.action_b, user=None, system=True, status="stalled", progress=5, date=PAST)
    client = Client()
    first = client.get("/api/v1/actions", {"municipality": "borgo", "limit": 1}).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    second = client.get(
        "/api/v1/actions", {"municipality": "borgo", "limit": 1, "cursor": first["next_cursor"]}
    )
    assert second.json()["items"][0]["id"] != first["items"][0]["id"]
    assert second.json()["next_cursor"] is None
    stalled = client.get("/api/v1/actions", {"status": "stalled"}).json()["items"]
    assert [a["id"] for a in stalled] == [world.action_b.pk]
    by_area = client.get("/api/v1/actions", {"area": world.area_a.pk}).json()["items"]
    assert [a["areas"] for a in by_area] == [["Area ambiente"]]
    since = client.get("/api/v1/actions", {"updated_since": PAST.isoformat()}).json()["items"]
    assert [a["id"] for a in since] == [world.action_b.pk]
    text = client.get("/api/v1/actions", {"q": "teatro"}).json()["items"]
    assert [a["title"] for a in text] == ["Aprire il teatro"]
    assert client.get("/api/v1/actions", {"cursor": "%%%"}).status_code == 400


def test_drafts_are_not_in_the_api(world):
    world.mandate.is_published = False
    world.mandate.save()
    assert Client().get("/api/v1/actions", {"municipality": "borgo"}).json()["items"] == []
    assert Client().get(f"/api/v1/actions/{world.action_a.pk}").status_code == 404


def test_reads_are_public_and_cacheable(world):
    client = Client()
    first = client.get("/api/v1/municipalities")
    assert first.status_code == 200 and "public" in first["Cache-Control"] and first["ETag"]
    assert client.get("/api/v1/municipalities", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_rate_limits_per_ip_and_per_token(world, settings):
    settings.API_RATE_ANON = "3/m"
    settings.API_RATE_TOKEN = "2/m"
    client = Client()
    codes = [client.get("/api/v1/municipalities").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/municipalities")
    assert int(limited["Retry-After"]) > 0
    other_ip = Client(REMOTE_ADDR="10.1.2.3").get("/api/v1/municipalities")
    assert other_ip.status_code == 200
    headers = bearer(world, "admin")
    token_codes = [post_update(world, headers, progress=10 + i).status_code for i in range(3)]
    assert token_codes == [201, 201, 429]


def test_openapi_schema_and_local_docs(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/actions",
        "/api/v1/actions/{action_id}/updates",
        "/api/v1/mandates/{mandate_id}/ledger",
    } <= set(schema["paths"])
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs and "cdn." not in docs
