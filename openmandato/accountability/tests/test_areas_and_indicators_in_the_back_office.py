"""Areas and indicators are created in the back-office, and actions are assigned to an area in bulk,
by the people allowed to, with a message after each write."""

import html

import pytest
from django.test import Client

from openmandato.accountability.models import Indicator
from openmandato.core.models import AuditEntry
from openmandato.programs.models import Action, Area


def client_for(world, who):
    client = Client()
    client.force_login(world.users[who])
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("who", ["admin", "editor"])
def test_program_staff_create_an_area(world, who):
    response = client_for(world, who).post(
        "/backoffice/areas/",
        {"municipality": world.municipality.pk, "name": "  Ufficio   tecnico "},
        follow=True,
    )
    assert "Area «Ufficio tecnico» creata." in text(response)
    assert Area.objects.filter(municipality=world.municipality, name="Ufficio tecnico").exists()
    assert AuditEntry.objects.filter(model="programs.area", verb="create").count() == 1


def test_a_duplicate_area_gets_one_line_and_nothing_is_created(world):
    response = client_for(world, "admin").post(
        "/backoffice/areas/", {"municipality": world.municipality.pk, "name": "area AMBIENTE"}
    )
    assert "Esiste già un'area «area AMBIENTE» in questo comune." in text(response)
    assert Area.objects.filter(municipality=world.municipality).count() == 2


@pytest.mark.parametrize("who", ["manager_a", "other_admin"])
def test_others_cannot_create_areas_here(world, who):
    response = client_for(world, who).post(
        "/backoffice/areas/", {"municipality": world.municipality.pk, "name": "Intrusa"}
    )
    assert response.status_code in (200, 403)
    assert not Area.objects.filter(name="Intrusa").exists()


def test_actions_are_assigned_to_an_area_in_bulk_and_removed_again(world):
    client = client_for(world, "admin")
    ids = [world.action_a.pk, world.action_b.pk]
    response = client.post(f"/backoffice/areas/{world.area_b.pk}/assign/", {"actions": ids}, follow=True)
    assert "1 azione assegnata all'area." in text(response)  # action_b already had it
    assert set(Action.objects.filter(areas=world.area_b).values_list("pk", flat=True)) == set(ids)
    response = client.post(
        f"/backoffice/areas/{world.area_b.pk}/assign/", {"actions": ids, "op": "remove"}, follow=True
    )
    assert "2 azioni tolte dall'area." in text(response)
    assert not Action.objects.filter(areas=world.area_b).exists()
    assert list(AuditEntry.objects.filter(model="programs.area").values_list("verb", flat=True)) == [
        "unassign",
        "assign",
    ]


def test_bulk_assignment_refuses_actions_of_another_comune(world):
    foreign = Action.objects.create(
        section=world.action_a.section.__class__.objects.create(
            mandate=world.other_municipality.mandates.get(), title="Altrove"
        ),
        title="Altrui",
    )
    response = client_for(world, "admin").post(
        f"/backoffice/areas/{world.area_a.pk}/assign/",
        {"actions": [world.action_b.pk, foreign.pk]},
        follow=True,
    )
    assert "Alcune azioni non sono di questo comune." in text(response)
    assert not world.area_a.actions.filter(pk__in=[world.action_b.pk, foreign.pk]).exists()


def test_an_area_manager_cannot_assign_actions(world):
    response = client_for(world, "manager_a").post(
        f"/backoffice/areas/{world.area_a.pk}/assign/", {"actions": [world.action_b.pk]}
    )
    assert response.status_code == 403
    assert not world.area_a.actions.filter(pk=world.action_b.pk).exists()


def test_the_area_page_lists_the_comune_actions_with_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    client = client_for(world, "admin")
    with django_assert_max_num_queries(12):
        body = text(client.get(f"/backoffice/areas/{world.area_a.pk}/"))
    assert "Piantare alberi" in body and "Aprire il teatro" in body
    section = world.action_a.section
    for index in range(30):
        Action.objects.create(section=section, title=f"Azione {index}", position=10 + index)
    with django_assert_max_num_queries(12):
        body = text(client.get(f"/backoffice/areas/{world.area_a.pk}/"))
    assert "Azione 29" in body


INDICATOR = {
    "name": "Alberi piantati",
    "unit": "alberi",
    "baseline": "0",
    "baseline_date": "2020-01-01",
    "target": "1000",
    "target_date": "2025-12-31",
    "direction": "up",
}


@pytest.mark.parametrize("who", ["admin", "manager_a"])
def test_staff_who_update_an_action_add_an_indicator(world, who):
    response = client_for(world, who).post(
        f"/backoffice/actions/{world.action_a.pk}/indicators/", INDICATOR, follow=True
    )
    assert "Indicatore «Alberi piantati» aggiunto." in text(response)
    assert Indicator.objects.get().action == world.action_a


def test_an_indicator_whose_target_is_behind_the_baseline_is_refused(world):
    response = client_for(world, "admin").post(
        f"/backoffice/actions/{world.action_a.pk}/indicators/", INDICATOR | {"target": "-5"}
    )
    assert response.status_code == 200
    assert "Il target deve essere oltre il valore iniziale" in text(response)
    assert not Indicator.objects.exists()


def test_an_area_manager_cannot_add_indicators_to_other_areas(world):
    response = client_for(world, "manager_a").post(
        f"/backoffice/actions/{world.action_b.pk}/indicators/", INDICATOR
    )
    assert response.status_code == 403
    assert not Indicator.objects.exists()


def test_hostile_area_names_are_escaped_or_refused(world):
    client = client_for(world, "admin")
    client.post(
        "/backoffice/areas/", {"municipality": world.municipality.pk, "name": "<script>alert(1)</script>"}
    )
    body = client.get("/backoffice/areas/").content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    response = client.post(
        "/backoffice/areas/", {"municipality": world.municipality.pk, "name": "Ufficio\x00"}
    )
    assert response.status_code == 200
    assert not Area.objects.filter(name__startswith="Ufficio").exists()


def test_digits_that_are_not_ascii_never_break_the_area_pages(world):
    client = Client()
    client.force_login(world.users["admin"])
    page = client.get(f"/backoffice/areas/{world.area_a.pk}/", {"section": "²"})
    assert page.status_code == 200
    assign = client.post(f"/backoffice/areas/{world.area_a.pk}/assign/", {"actions": ["²"]}, follow=True)
    assert assign.status_code == 200
    assert "Seleziona almeno un'azione" in html.unescape(assign.content.decode())
