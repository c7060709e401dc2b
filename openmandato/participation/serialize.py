"""Public rows of participation, the same for the API and the open-data exports. Only what is public:
visible comments, never an e-mail address; a deleted account is "utente cancellato"."""

from __future__ import annotations

from openmandato.participation.display import author_paths, display_name
from openmandato.participation.models import Comment, Contest, Proposal


def public_comments(actions):
    return (
        Comment.objects.visible()
        .filter(action__in=actions)
        .select_related(*author_paths())
        .order_by("action_id", "created_at", "pk")
    )


def comment_row(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "action_id": comment.action_id,
        "parent_id": comment.parent_id,
        "author": display_name(comment.author),
        "body": comment.body,
        "is_official": comment.is_official,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
    }


def proposal_row(proposal: Proposal) -> dict:
    return {
        "id": proposal.pk,
        "municipality": proposal.municipality.slug,
        "kind": proposal.kind,
        "action_id": proposal.action_id,
        "title": proposal.title,
        "body": proposal.body,
        "author": display_name(proposal.author),
        "created_at": proposal.created_at,
        "supports": proposal.support_count,
        "status": proposal.status,
        "answer": proposal.answer,
        "answered_at": proposal.answered_at,
        "linked_action_id": proposal.linked_action_id,
    }


def proposals_queryset(queryset):
    return queryset.select_related("municipality", *author_paths())


def contest_row(contest: Contest) -> dict:
    entry, answer_entry = contest.ledger_entry, contest.answer_ledger_entry
    return {
        "id": contest.pk,
        "update_id": contest.update_id,
        "action_id": contest.update.action_id,
        "claim": contest.claim,
        "reason": contest.reason,
        "link": contest.link,
        "document_sha256": contest.document_sha256,
        "created_at": contest.created_at,
        "answer": contest.answer,
        "answered_at": contest.answered_at,
        "ledger_seq": entry.seq if entry else None,
        "answer_ledger_seq": answer_entry.seq if answer_entry else None,
    }


def contests_queryset(queryset):
    return queryset.select_related("update", "ledger_entry", "answer_ledger_entry")
