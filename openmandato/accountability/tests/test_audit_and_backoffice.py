import datetime

from django.test import Client
from django.utils import timezone

from openmandato.accountability.services import record_progress
from openmandato.core.models import AuditEntry
from openmandato.tests.fixtures import PAST


def login(world, who):
    client = Client()
    client.force_login(world.users[who])
    return client


def test_every_back_office_change_is_audited_with_before_and_after(world):
    client = login(world, "editor")
    action = world.action_a
    client.post(
        f"/admin/programs/action/{action.pk}/change/",
        {
            "section": action.section_id,
            "position": 0,
            "code": "1",
            "title": "Piantare mille alberi",
            "text": "",
            "areas": [world.area_a.pk],
            "weight": "2",
            "dup_mission": "09",
            "dup_program": "02",
        },
    )
    entry = AuditEntry.objects.get(model="programs.action", verb="change")
    assert entry.user == world.users["editor"]
    assert entry.municipality == world.municipality
    assert entry.before["title"] == "Piantare alberi" and entry.after["title"] == "Piantare mille alberi"
    assert entry.after["dup_mission"] == "09"
    record_progress(action, user=world.users["manager_a"], status="in_progress", progress=15, date=PAST)
    update_entry = AuditEntry.objects.get(model="accountability.progressupdate")
    assert update_entry.before is None and update_entry.after["progress"] == 15


def test_the_audit_log_is_shown_to_the_municipality_staff_only(world):
    record_progress(world.action_a, user=world.users["admin"], status="in_progress", progress=15, date=PAST)
    assert "Piantare alberi" in login(world, "manager_b").get("/backoffice/audit/").content.decode()
    assert "Piantare alberi" not in login(world, "other_admin").get("/backoffice/audit/").content.decode()
    assert login(world, "citizen").get("/backoffice/audit/").status_code == 403


def test_my_actions_shows_what_is_overdue_or_not_updated_for_ninety_days(world):
    today = timezone.localdate()
    world.action_a.due_date = today - datetime.timedelta(days=3)
    world.action_a.save()
    record_progress(
        world.action_b,
        user=world.users["admin"],
        status="in_progress",
        progress=5,
        date=today - datetime.timedelta(days=10),
    )
    client = login(world, "admin")
    overdue = client.get("/backoffice/?show=overdue").content.decode()
    assert "Piantare alberi" in overdue and "Aprire il teatro" not in overdue
    stale = client.get("/backoffice/?show=stale").content.decode()
    assert "Piantare alberi" in stale and "Aprire il teatro" not in stale
    everything = client.get("/backoffice/").content.decode()
    assert "Scadute (1)" in everything and "Non aggiornate da 90 giorni (1)" in everything


def test_a_form_based_on_an_old_version_is_refused_with_a_message(world):
    client = login(world, "admin")
    url = f"/backoffice/actions/{world.action_a.pk}/update/"
    form = {"date": PAST.isoformat(), "status": "in_progress", "progress": "20", "based_on": ""}
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "progress": "25"})
    assert "rileggi e riprova" in response.content.decode()
    world.action_a.refresh_from_db()
    assert world.action_a.progress == 20
