import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from openmandato.programs.models import Action, Mandate
from openmandato.programs.status import Status
from openmandato.tests.factory import make_actions, make_mandate, make_municipality, make_section

pytestmark = pytest.mark.django_db


def test_a_municipality_has_at_most_one_current_mandate():
    municipality = make_municipality()
    make_mandate(municipality, title="2019-2024")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_mandate(municipality, title="2024-2029")
    other = Mandate(municipality=municipality, title="2024-2029", is_current=True)
    with pytest.raises(ValidationError):
        other.full_clean()
    make_mandate(municipality, title="2014-2019", is_current=False)
    assert municipality.mandates.count() == 2


def test_progress_cannot_exceed_one_hundred():
    section = make_section(make_mandate())
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(section=section, title="Troppo", progress=101)


def test_action_codes_may_repeat_within_a_section():
    section = make_section(make_mandate())
    Action.objects.create(section=section, code="7", title="Prima", position=0)
    Action.objects.create(section=section, code="7", title="Seconda", position=1)
    assert section.actions.filter(code="7").count() == 2


def test_an_action_takes_its_mandate_from_its_section():
    mandate = make_mandate()
    [action] = make_actions(make_section(mandate), 1)
    assert action.mandate == mandate
    assert list(Action.objects.for_municipality(mandate.municipality)) == [action]


def test_sections_nest_to_any_depth_and_refuse_cycles():
    mandate = make_mandate()
    root = make_section(mandate, "Capitolo")
    child = make_section(mandate, "Sezione", parent=root)
    grandchild = make_section(mandate, "Sottosezione", parent=child)
    assert grandchild.parent.parent == root
    root.parent = grandchild
    with pytest.raises(ValidationError):
        root.clean()


def test_dup_codes_are_two_digits():
    [action] = make_actions(make_section(make_mandate()), 1)
    action.dup_mission = "9"
    with pytest.raises(ValidationError):
        action.full_clean()
    action.dup_mission, action.dup_program = "09", "02"
    action.full_clean()


def test_status_labels_are_italian_with_english_translations():
    assert [str(s.label) for s in Status] == [
        "Non avviata",
        "In corso",
        "Parzialmente realizzata",
        "Realizzata",
        "In stallo",
        "Abbandonata",
    ]
    with translation.override("en"):
        assert [str(s.label) for s in Status] == [
            "Not started",
            "In progress",
            "Partially done",
            "Done",
            "Stalled",
            "Abandoned",
        ]


def test_a_municipality_slug_never_shadows_a_site_path():
    municipality = make_municipality("Admin")
    assert municipality.slug == "comune-admin"
    municipality.slug = "api"
    with pytest.raises(ValidationError):
        municipality.full_clean()
