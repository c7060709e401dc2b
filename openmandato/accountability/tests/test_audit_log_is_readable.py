"""The back-office change log reads as words: field labels and human values, not Python dicts."""

import html
import re

from django.test import Client

from openmandato.accountability.services import record_progress
from openmandato.tests.fixtures import PAST


def audit_rows(client) -> list[str]:
    body = html.unescape(client.get("/backoffice/audit/").content.decode())
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("<tr>")[2:]]


def test_the_log_shows_labels_and_human_values(world):
    client = Client()
    client.force_login(world.users["admin"])
    client.post(
        f"/admin/programs/action/{world.action_a.pk}/change/",
        {
            "section": world.action_a.section_id,
            "position": 0,
            "code": "1",
            "title": "Piantare mille alberi",
            "text": "",
            "areas": [world.area_a.pk],
            "weight": "1",
            "dup_mission": "09",
            "dup_program": "",
        },
    )
    record_progress(world.action_a, user=world.users["admin"], status="in_progress", progress=15, date=PAST)
    rows = audit_rows(client)
    update, edit = rows[0], rows[1]
    assert "Creazione" in update and "Aggiornamento:" in update
    assert "Stato : In corso" in update and "Data : 10/05/2023" in update
    assert "Modifica" in edit and "Azione: 1 Piantare mille alberi" in edit
    assert "Titolo : Piantare alberi → Piantare mille alberi" in edit
    assert "Missione DUP : — → 09" in edit
    body = client.get("/backoffice/audit/").content.decode()
    assert "{&#x27;" not in body and "{'" not in body  # no Python dicts
    assert "Posizione" not in edit and "Peso" not in edit  # unchanged fields ("1.00" = "1") are left out
