"""Proposals: a citizen proposes a new action or an improvement, others support it, staff answer
(accepted and linked to an action, under evaluation, rejected with a reason); public list with filters."""

import pytest
from django.test import Client

from openmandato.participation.models import Proposal, ProposalStatus, ProposalSupport

pytestmark = pytest.mark.django_db


def propose(client, world, **data):
    fields = {"kind": "new_action", "title": "Orti urbani", "body": "Orti nei *parchi*"}
    return client.post(f"/{world.municipality.slug}/proposte/nuova/", {**fields, **data})


def logged(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_citizen_proposes_and_others_support(citizens):
    response = propose(logged(citizens.users["citizen"]), citizens)
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and proposal.body_html == "<p>Orti nei <em>parchi</em></p>"
    url = f"/{citizens.municipality.slug}/proposte/{proposal.pk}/sostegno/"
    other = logged(citizens.users["citizen2"])
    other.post(url)
    other.post(url)
    logged(citizens.users["citizen"]).post(url)  # not one's own
    proposal.refresh_from_db()
    assert proposal.support_count == 1 == ProposalSupport.objects.count()
    html = Client().get(f"/{citizens.municipality.slug}/proposte/{proposal.pk}/").content.decode()
    assert "1 sostegno" in html and "Orti urbani" in html


def test_an_improvement_names_an_action_of_this_comune(citizens):
    client = logged(citizens.users["citizen"])
    assert propose(client, citizens, kind="improvement").status_code == 400
    other_action = citizens.other_municipality.mandates.get().sections.create(title="X", position=0)
    foreign = other_action.actions.create(title="Altrove", position=0)
    assert propose(client, citizens, kind="improvement", action=foreign.pk).status_code == 400
    assert propose(client, citizens, kind="improvement", action=str(2**70)).status_code == 400
    assert propose(client, citizens, kind="improvement", action=citizens.action_a.pk).status_code == 302
    assert Proposal.objects.get().action == citizens.action_a


def test_staff_answer_accepted_evaluating_rejected(citizens):
    propose(logged(citizens.users["citizen"]), citizens)
    proposal = Proposal.objects.get()
    url = f"/backoffice/partecipazione/proposte/{proposal.pk}/risposta/"
    editor = logged(citizens.users["editor"])
    assert editor.post(url, {"status": "rejected", "answer": ""}).status_code == 400
    assert editor.post(url, {"status": "accepted", "answer": "Sì"}).status_code == 400  # no action
    assert editor.post(url, {"status": "evaluating"}).status_code == 302
    assert Proposal.objects.get().status == ProposalStatus.EVALUATING
    response = editor.post(
        url, {"status": "accepted", "answer": "La facciamo", "linked_action": citizens.action_b.pk}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.linked_action == citizens.action_b
    html = Client().get(f"/{citizens.municipality.slug}/proposte/{proposal.pk}/").content.decode()
    assert "La facciamo" in html and "Aprire il teatro" in html
    assert (
        logged(citizens.users["citizen2"]).post(url, {"status": "rejected", "answer": "no"}).status_code
        == 403
    )
    assert (
        logged(citizens.users["other_admin"]).post(url, {"status": "rejected", "answer": "no"}).status_code
        == 403
    )


def test_the_public_list_filters_by_status_and_kind(citizens):
    client = logged(citizens.users["citizen"])
    propose(client, citizens, title="Piste ciclabili")
    propose(client, citizens, title="Più alberi", kind="improvement", action=citizens.action_a.pk)
    Proposal.objects.filter(title="Piste ciclabili").update(status=ProposalStatus.REJECTED)
    base = f"/{citizens.municipality.slug}/proposte/"
    html = Client().get(base + "?status=rejected").content.decode()
    assert "Piste ciclabili" in html and "Più alberi" not in html
    assert 'value="status=rejected"' not in html  # the header's search box stays empty
    html = Client().get(base + "?kind=improvement").content.decode()
    assert "Più alberi" in html and "Piste ciclabili" not in html
    assert Client().get(base + "?status=nonsense&page=99999999999").status_code == 200


def test_proposal_text_is_sanitised(citizens):
    propose(
        logged(citizens.users["citizen"]),
        citizens,
        title="<script>x</script>",
        body="<iframe src=//evil></iframe>ok",
    )
    proposal = Proposal.objects.get()
    html = Client().get(f"/{citizens.municipality.slug}/proposte/{proposal.pk}/").content.decode()
    assert "<script>x" not in html and "&lt;script&gt;" in html and "<iframe" not in html
