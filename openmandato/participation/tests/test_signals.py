"""The signals the notifications listen to are sent once, only after the transaction commits, with the
row that was written; a rolled-back write sends nothing."""

import pytest
from django.db import transaction

from openmandato.participation import services, signals

pytestmark = pytest.mark.django_db

NAMES = [
    "comment_posted",
    "official_answer_posted",
    "proposal_answered",
    "contest_posted",
    "contest_answered",
]


@pytest.fixture
def received():
    log = []
    receivers = {}
    for name in NAMES:

        def receiver(sender, signal, name=name, **kwargs):
            (obj,) = kwargs.values()  # exactly one argument: the comment, proposal or contest
            log.append((name, obj.pk))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver)
    yield log
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


def test_each_write_sends_its_signal_after_commit(
    citizens, update, received, django_capture_on_commit_callbacks
):
    citizen, staff = citizens.users["citizen"], citizens.users["manager_a"]
    with django_capture_on_commit_callbacks(execute=False) as pending:
        comment = services.post_comment(citizens.action_a, user=citizen, body="Domanda")
    assert received == [] and len(pending) == 1  # nothing before the commit
    pending[0]()
    assert received == [("comment_posted", comment.pk)]
    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.post_comment(
            citizens.action_a, user=staff, body="Risposta", parent=comment, official=True
        )
        proposal = services.submit_proposal(
            citizens.municipality, user=citizen, kind="new_action", title="T", body="B"
        )
        services.answer_proposal(proposal, user=citizens.users["editor"], status="evaluating", answer="")
        contest = services.contest_update(update, user=citizen, claim="status", reason="No")
        services.answer_contest(contest, user=staff, answer="Sì")
    assert received == [
        ("comment_posted", answer.pk),
        ("official_answer_posted", answer.pk),
        ("proposal_answered", proposal.pk),
        ("contest_posted", contest.pk),
        ("contest_answered", contest.pk),
    ]


def test_a_rolled_back_write_sends_nothing(citizens, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.post_comment(citizens.action_a, user=citizens.users["citizen"], body="Annullato")
        transaction.set_rollback(True)
    assert received == []
