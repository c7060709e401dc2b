"""The Django admin's Italian confirmations agree with our models' gender ("L'azione … è stata
aggiunta", not "Il azione … è stato aggiunto")."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from openmandato.core.admin_scoping import italian_admin_message
from openmandato.programs.models import Action, Area, Municipality, Section
from openmandato.tests.factory import make_mandate, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client():
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    return client


def shown_message(response) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))
    return re.search(r"(?:L'|La |Il )\S.*?(?:con successo|eliminat[ao])\.", text).group(0)


def test_adding_an_action_reads_in_good_italian(root_client):
    section = make_section(make_mandate(Municipality.objects.create(name="Borgo")), "Ambiente")
    response = root_client.post(
        "/admin/programs/action/add/",
        {
            "section": section.pk,
            "position": 0,
            "code": "1",
            "title": "Piantare alberi",
            "text": "",
            "weight": "1",
        },
        follow=True,
    )
    assert shown_message(response) == "L'azione «1 Piantare alberi» è stata aggiunta con successo."


def test_changing_a_section_and_adding_an_area_and_a_comune(root_client):
    municipality = Municipality.objects.create(name="Borgo")
    section = make_section(make_mandate(municipality), "Ambiente")
    data = {
        "mandate": section.mandate_id,
        "title": "Ambiente e verde",
        "position": 0,
        "weight": "1",
        "summary": "",
        "objective": "",
        "actions-TOTAL_FORMS": 0,
        "actions-INITIAL_FORMS": 0,
    }
    response = root_client.post(f"/admin/programs/section/{section.pk}/change/", data, follow=True)
    assert shown_message(response) == "La sezione «Ambiente e verde» è stata modificata con successo."
    response = root_client.post(
        "/admin/programs/area/add/", {"municipality": municipality.pk, "name": "Ufficio tecnico"}, follow=True
    )
    assert shown_message(response) == "L'area responsabile «Ufficio tecnico» è stata aggiunta con successo."
    response = root_client.post(
        "/admin/programs/municipality/add/", {"name": "Pieve", "slug": "pieve"}, follow=True
    )
    assert shown_message(response) == "Il comune «Pieve» è stato aggiunto con successo."
    assert Area.objects.count() == 1 and Section.objects.get().title == "Ambiente e verde"


def test_deleting_an_action_reads_in_good_italian(root_client):
    section = make_section(make_mandate(Municipality.objects.create(name="Borgo")), "Ambiente")
    action = Action.objects.create(section=section, title="Piantare alberi")
    response = root_client.post(f"/admin/programs/action/{action.pk}/delete/", {"post": "yes"}, follow=True)
    assert shown_message(response) == "L'azione «Piantare alberi» è stata eliminata."


def test_the_rewrite_keeps_other_messages_and_masculine_nouns():
    masculine = (
        'Il indicatore "Alberi" è stato aggiunto con successo. Puoi aggiungere un altro indicatore qui sotto.'
    )
    assert italian_admin_message(masculine, "indicatore", False) == (
        "L'indicatore «Alberi» è stato aggiunto con successo. Puoi aggiungere un altro indicatore qui sotto."
    )
    feminine = 'Il sezione "A" è stato modificato con successo. Puoi modificarlo nuovamente qui sotto.'
    assert italian_admin_message(feminine, "sezione", True) == (
        "La sezione «A» è stata modificata con successo. Puoi modificarla nuovamente qui sotto."
    )
    assert (
        italian_admin_message("Nessuna azione selezionata.", "azione", True) == "Nessuna azione selezionata."
    )
