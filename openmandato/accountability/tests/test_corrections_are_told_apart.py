"""The "corregge" choice shows date, status, progress and the note, so identical labels differ."""

import datetime

from django.test import Client

from openmandato.accountability.services import record_progress
from openmandato.tests.fixtures import PAST


def test_the_corrects_choices_show_date_status_and_note(world):
    admin = world.users["admin"]
    for note in ["Gara pubblicata", "Gara aggiudicata"]:
        record_progress(world.action_a, user=admin, status="in_progress", progress=30, date=PAST, note=note)
    record_progress(
        world.action_a, user=admin, status="stalled", progress=30, date=PAST + datetime.timedelta(days=1)
    )
    client = Client()
    client.force_login(admin)
    form = client.get(f"/backoffice/actions/{world.action_a.pk}/update/").context["form"]
    labels = [label for value, label in form.fields["corrects"].choices if value]
    assert sorted(labels) == [
        "10/05/2023 · In corso 30% — Gara aggiudicata",
        "10/05/2023 · In corso 30% — Gara pubblicata",
        "11/05/2023 · In stallo 30%",
    ]
