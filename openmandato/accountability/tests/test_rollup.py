import html

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from openmandato.accountability.services import EvidenceInput, record_progress
from openmandato.programs import rollup
from openmandato.programs.models import Action, Mandate, Section
from openmandato.tests.factory import make_mandate, make_municipality, make_section
from openmandato.tests.fixtures import PAST

pytestmark = pytest.mark.django_db


def set_progress(action, progress, status="in_progress"):
    evidence = []
    if progress == 100:
        status = "done"  # 100 % is only "Realizzata", which needs a source
        evidence = [
            EvidenceInput(
                kind="act",
                act_kind="determina",
                act_number="1",
                act_date=PAST,
                url="https://albo.example.org/1",
            )
        ]
    record_progress(
        action, user=None, system=True, status=status, progress=progress, date=PAST, evidence=evidence
    )


@pytest.fixture
def tree():
    """Mandate -> A (actions 1, 2) and B (sub-section B1 with action 3, action 4 with children 5, 6)."""
    mandate = make_mandate(make_municipality("Rollup"))
    a = make_section(mandate, "A", position=0)
    b = make_section(mandate, "B", position=1)
    b1 = make_section(mandate, "B1", parent=b)
    actions = {
        1: Action.objects.create(section=a, title="1", position=0),
        2: Action.objects.create(section=a, title="2", position=1),
        3: Action.objects.create(section=b1, title="3", position=0),
        4: Action.objects.create(section=b, title="4", position=1),
    }
    actions[5] = Action.objects.create(section=b, parent=actions[4], title="5", position=0)
    actions[6] = Action.objects.create(section=b, parent=actions[4], title="6", position=1)
    return mandate, {"A": a, "B": b, "B1": b1}, actions


def section_progress(section):
    return rollup.with_section_progress(Section.objects.filter(pk=section.pk)).get().progress


def test_equal_weights_give_the_mean_of_means(tree):
    mandate, sections, actions = tree
    for key, value in {1: 100, 2: 0, 3: 60, 5: 20, 6: 40}.items():
        set_progress(actions[key], value)
    assert section_progress(sections["A"]) == pytest.approx(50)
    # B = mean(B1 = 60, action 4 = mean(20, 40) = 30) = 45
    assert section_progress(sections["B"]) == pytest.approx(45)
    assert rollup.mandate_progress(mandate) == pytest.approx(47.5)


def test_weights_shift_the_mean(tree):
    mandate, sections, actions = tree
    set_progress(actions[1], 100)
    actions[1].weight = 3
    actions[1].save()
    assert section_progress(sections["A"]) == pytest.approx(75)
    sections["A"].weight = 0
    sections["A"].save()
    assert rollup.mandate_progress(mandate) == pytest.approx(0)


def test_abandoned_actions_count_as_zero(tree):
    mandate, sections, actions = tree
    set_progress(actions[1], 80)
    set_progress(actions[2], 60, status="abandoned")
    assert section_progress(sections["A"]) == pytest.approx(40)


def test_deleting_or_archiving_a_child_recomputes_the_parents(tree):
    mandate, sections, actions = tree
    set_progress(actions[1], 100)
    assert section_progress(sections["A"]) == pytest.approx(50)
    actions[2].delete()
    assert section_progress(sections["A"]) == pytest.approx(100)
    actions[1].archived_at = timezone.now()
    actions[1].save()
    assert section_progress(sections["A"]) is None
    assert rollup.mandate_progress(mandate) == pytest.approx(0)


def test_sql_and_page_agree_on_a_real_program(valenza_path, cremona_path):
    call_command("import_program", str(cremona_path), "--municipality", "Cremona", verbosity=0)
    mandate = Mandate.objects.get()
    for index, action in enumerate(mandate.actions.leaves().order_by("pk")):
        set_progress(action, (index * 17) % 101, status="abandoned" if index % 7 == 3 else "in_progress")
    sections = list(mandate.sections.all())
    actions = list(mandate.actions.all())
    in_memory = rollup.tree_progress(sections, actions).sections
    for section in rollup.with_section_progress(mandate.sections.all()):
        assert section.progress == pytest.approx(in_memory[section.pk])
    shares = sum(a.rollup_share for a in mandate.actions.all())
    assert shares == pytest.approx(1.0)


def test_the_method_page_publishes_formula_and_weights(tree):
    mandate, sections, actions = tree
    body = Client().get(f"/{mandate.municipality.slug}/come-calcoliamo/").content.decode()
    assert "avanzamento = Σ (peso × avanzamento dell'elemento) / Σ pesi" in html.unescape(body)
    assert "abbandonata conta 0" in body
    assert "25.00%" in body  # actions 1 and 2 each hold a quarter of the mandate
