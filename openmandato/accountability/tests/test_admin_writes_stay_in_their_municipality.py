"""Admin writes are checked where the object lands: an action cannot be moved into a municipality
where the user may not edit the program, and a superuser can still add actions."""

from django.test import Client

from openmandato.core.models import Membership
from openmandato.programs.models import Action, Mandate
from openmandato.tests.factory import make_section
from openmandato.tests.fixtures import make_user


def test_an_action_cannot_be_moved_into_another_municipality(world):
    other_section = make_section(Mandate.objects.get(municipality=world.other_municipality), "Altrove")
    Membership.objects.create(
        user=world.users["editor"], municipality=world.other_municipality, role="area_manager"
    )
    client = Client()
    client.force_login(world.users["editor"])
    action = world.action_a
    client.post(
        f"/admin/programs/action/{action.pk}/change/",
        {
            "section": other_section.pk,
            "position": 0,
            "code": "1",
            "title": "Spostata",
            "text": "",
            "weight": "1",
        },
    )
    action.refresh_from_db()
    assert action.mandate == world.mandate and action.title == "Piantare alberi"


def test_a_superuser_can_add_an_action_in_the_admin(world):
    client = Client()
    client.force_login(make_user("root", superuser=True))
    response = client.post(
        "/admin/programs/action/add/",
        {
            "section": world.action_a.section_id,
            "position": 5,
            "code": "9",
            "title": "Nuova azione",
            "text": "",
            "weight": "1",
        },
    )
    assert response.status_code == 302
    assert Action.objects.filter(title="Nuova azione", mandate=world.mandate).exists()
