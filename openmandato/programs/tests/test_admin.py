import pytest
from django.core.management import call_command
from django.urls import reverse

from openmandato.programs.models import Action, Mandate, Section

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(valenza_path):
    call_command("import_program", str(valenza_path), verbosity=0)


@pytest.mark.parametrize("model", ["municipality", "mandate", "area", "section", "action", "principle"])
def test_every_model_has_a_searchable_admin_list(admin_client, program, model):
    if model == "principle":
        # Principles are edited inline on their mandate.
        response = admin_client.get(reverse("admin:programs_mandate_change", args=[Mandate.objects.get().pk]))
        assert response.status_code == 200
        assert "FUTURO" in response.content.decode()
        return
    response = admin_client.get(reverse(f"admin:programs_{model}_changelist"), {"q": "a"})
    assert response.status_code == 200


def test_the_action_list_filters_by_status_and_finds_by_text(admin_client, program):
    response = admin_client.get(reverse("admin:programs_action_changelist"), {"q": "telemedicina"})
    body = response.content.decode()
    assert "Potenziamento dei servizi di telemedicina" in body
    assert "1 azione" in body
    response = admin_client.get(reverse("admin:programs_action_changelist"), {"status__exact": "done"})
    assert "0 azioni" in response.content.decode()


def test_a_section_page_lists_its_actions_inline(admin_client, program):
    section = Section.objects.get(title="Bellezza")
    response = admin_client.get(reverse("admin:programs_section_change", args=[section.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('name="actions-') > 9 * 5
    first = Action.objects.get(section=section, position=0)
    assert first.title in body
