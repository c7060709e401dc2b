"""Signals other apps (notifications) listen to. Each is sent from transaction.on_commit, so a
receiver never sees a row that was rolled back.

    comment_posted(sender, comment)          a visible comment or reply was posted (official or not)
    official_answer_posted(sender, comment)  staff posted an official answer
    proposal_answered(sender, proposal)      staff answered a proposal (any status but "open")
    contest_posted(sender, contest)          a citizen contested a progress update
    contest_answered(sender, contest)        staff answered a contest
"""

from django.db import transaction
from django.dispatch import Signal

comment_posted = Signal()
official_answer_posted = Signal()
proposal_answered = Signal()
contest_posted = Signal()
contest_answered = Signal()


def send_on_commit(signal: Signal, sender, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
