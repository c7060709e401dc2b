"""A revision moves sub-items to the action that now heads them, when the review editor swapped which of
two actions is the group heading (the shape of Alpignano's edited "SICUREZZA STRADALE" section)."""

import pytest

from openmandato.importer.revision import apply_revision, plan_revision
from openmandato.importer.services import import_program
from openmandato.importer.tree import ActionNode, ProgramTree, SectionNode
from openmandato.programs.models import Action

pytestmark = pytest.mark.django_db

PROSE = "La sicurezza stradale e la fluidità del traffico rappresentano elementi fondamentali per tutti."
LEAD = "Le intersezioni oggetto di analisi saranno"
STREETS = ["Via Garibaldi / Via Caduti per la Libertà", "Via Garibaldi / Via Collegno"]


def streets():
    return [ActionNode(title=s, text=s) for s in STREETS]


def tree(actions):
    return ProgramTree(
        municipality="Borgoverde", title="Programma", sections=[SectionNode("Viabilità", actions=actions)]
    )


def test_sub_items_follow_their_heading_to_another_action():
    # first import: the prose paragraph heads the streets, the lead-in is a leaf after them
    outcome = import_program(
        tree([ActionNode(title=LEAD, text=PROSE, actions=streets()), ActionNode(title=LEAD, text=LEAD)]),
        municipality_name="Borgoverde",
    )
    mandate = outcome.mandate
    # revision: the prose is a leaf, the lead-in heads the streets
    revision = plan_revision(
        mandate,
        tree(
            [
                ActionNode(title="La sicurezza stradale", text=PROSE),
                ActionNode(title=LEAD, text=LEAD, actions=streets()),
            ]
        ),
    )
    apply_revision(revision)
    lead = Action.objects.get(mandate=mandate, text=LEAD, archived_at__isnull=True)
    prose = Action.objects.get(mandate=mandate, text=PROSE, archived_at__isnull=True)
    for street in STREETS:
        action = Action.objects.get(mandate=mandate, text=street, archived_at__isnull=True)
        assert action.parent_id == lead.pk, street
    assert prose.parent_id is None
    assert not Action.objects.filter(parent=prose, archived_at__isnull=True).exists()
