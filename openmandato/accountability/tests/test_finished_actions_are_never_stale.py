"""Done and abandoned actions have nothing more to report: never "da aggiornare"."""

import datetime

from django.test import Client

from openmandato.accountability.services import EvidenceInput, record_progress

LONG_AGO = datetime.date(2021, 1, 10)


def test_only_open_actions_are_marked_to_update(world):
    admin = world.users["admin"]
    act = EvidenceInput(kind="act", act_kind="determina", act_number="3", act_date=LONG_AGO)
    record_progress(world.action_a, user=admin, status="done", progress=100, date=LONG_AGO, evidence=[act])
    record_progress(world.action_b, user=admin, status="in_progress", progress=10, date=LONG_AGO)
    client = Client()
    client.force_login(admin)
    body = client.get("/backoffice/").content.decode()
    rows = {
        title: row
        for row in body.split("<tr")
        for title in ["Piantare alberi", "Aprire il teatro"]
        if title in row
    }
    assert "da aggiornare" not in rows["Piantare alberi"]
    assert "da aggiornare" in rows["Aprire il teatro"]
    stale = client.get("/backoffice/", {"show": "stale"}).content.decode()
    assert "Aprire il teatro" in stale and "Piantare alberi" not in stale
