"""Participation in the API and the exports: visible comments only, support counts, proposals and
contests; formula injection neutralised in CSV and XLSX; drafts stay hidden."""

import csv
import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from openmandato.participation import services
from openmandato.participation.models import ProposalKind

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","clic")'


@pytest.fixture
def activity(citizens, update):
    citizen, other = citizens.users["citizen"], citizens.users["citizen2"]
    services.post_comment(citizens.action_a, user=citizen, body=FORMULA)
    hidden = services.post_comment(citizens.action_a, user=other, body="Da nascondere")
    services.hide_comment(hidden, user=citizens.users["moderator"], reason="Spam")
    services.support_action(citizens.action_a, user=citizen)
    services.support_action(citizens.action_a, user=other)
    services.submit_proposal(
        citizens.municipality,
        user=citizen,
        kind=ProposalKind.NEW_ACTION,
        title="@SUM(1+1)",
        body="+39 proposta",
    )
    services.contest_update(update, user=other, claim="source", reason="-1 alberi")
    return citizens


def test_the_api_serves_visible_comments_supports_proposals_and_contests(activity):
    client = Client()
    action = activity.action_a.pk
    comments = client.get(f"/api/v1/actions/{action}/comments").json()
    assert [c["body"] for c in comments] == [FORMULA]
    assert comments[0]["author"] == "Carla" and "@" not in json.dumps(comments)
    supports = client.get(f"/api/v1/actions/{action}/supports").json()
    assert supports["count"] == 2 and supports["by_month"][-1]["total"] == 2
    assert client.get(f"/api/v1/actions/{action}").json()["supports"] == 2
    proposals = client.get(f"/api/v1/proposals?municipality={activity.municipality.slug}").json()
    assert [p["title"] for p in proposals["items"]] == ["@SUM(1+1)"]
    contests = client.get("/api/v1/contests?answered=false").json()["items"]
    assert contests[0]["claim"] == "source" and contests[0]["ledger_seq"] is not None
    assert client.get("/api/v1/contests?answered=true").json()["items"] == []
    assert client.get(f"/api/v1/proposals/{2**70}").status_code == 400
    assert client.get("/api/v1/proposals?status=bogus").status_code in (400, 422)


def test_a_draft_comune_shows_nothing(activity):
    activity.mandate.is_published = False
    activity.mandate.save()
    client = Client()
    assert client.get(f"/api/v1/actions/{activity.action_a.pk}/comments").status_code == 404
    assert client.get("/api/v1/proposals").json()["items"] == []
    assert client.get("/api/v1/contests").json()["items"] == []


def test_csv_exports_neutralise_formulas(activity):
    slug = activity.municipality.slug
    client = Client()
    for table, column, expected in [
        ("comments", "body", "'" + FORMULA),
        ("proposals", "title", "'@SUM(1+1)"),
        ("contests", "reason", "'-1 alberi"),
    ]:
        response = client.get(f"/{slug}/export-{table}.csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert [row[column] for row in rows] == [expected], table
    comments = client.get(f"/{slug}/export-comments.csv").content.decode()
    assert "Da nascondere" not in comments
    actions = list(csv.DictReader(io.StringIO(client.get(f"/{slug}/export.csv").content.decode("utf-8-sig"))))
    assert {row["title"]: row["supports"] for row in actions}["Piantare alberi"] == "2"


def test_json_and_xlsx_exports_carry_participation(activity):
    slug = activity.municipality.slug
    document = Client().get(f"/{slug}/export.json").json()
    assert [c["body"] for c in document["comments"]] == [FORMULA]
    assert document["proposals"][0]["body"] == "+39 proposta" and len(document["contests"]) == 1
    book = load_workbook(io.BytesIO(Client().get(f"/{slug}/export.xlsx").content))
    cell = book["commenti"]["E2"]
    assert cell.value == FORMULA and cell.data_type == "s" and cell.quotePrefix
    assert book["proposte"]["D2"].value == "@SUM(1+1)" and book["segnalazioni"]["E2"].value == "-1 alberi"
