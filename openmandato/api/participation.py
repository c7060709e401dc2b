"""Participation in the API: visible comments, support counts, proposals and contests (public reads of
published mandates only)."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from openmandato.api import serialize
from openmandato.api.schemas import ErrorOut
from openmandato.participation import serialize as rows
from openmandato.participation.models import Contest, Proposal, ProposalKind, ProposalStatus
from openmandato.participation.services import support_growth
from openmandato.programs.models import Action

router = Router(tags=["participation"])
READ_ERRORS = {400: ErrorOut, 404: ErrorOut}


class CommentOut(Schema):
    id: int
    action_id: int
    parent_id: int | None
    author: str
    body: str = Field(..., description="Markdown, as written")
    is_official: bool = Field(..., description="an official answer of the comune")
    created_at: datetime.datetime
    edited_at: datetime.datetime | None


class MonthOut(Schema):
    month: datetime.date
    added: int
    total: int


class SupportsOut(Schema):
    action_id: int
    count: int
    by_month: list[MonthOut]


class ProposalOut(Schema):
    id: int
    municipality: str
    kind: ProposalKind
    action_id: int | None
    title: str
    body: str
    author: str
    created_at: datetime.datetime
    supports: int
    status: ProposalStatus
    answer: str
    answered_at: datetime.datetime | None
    linked_action_id: int | None


class ProposalPage(Schema):
    items: list[ProposalOut]
    next_cursor: str | None = None


class ContestOut(Schema):
    id: int
    update_id: int
    action_id: int
    claim: str
    reason: str
    link: str
    document_sha256: str
    created_at: datetime.datetime
    answer: str
    answered_at: datetime.datetime | None
    ledger_seq: int | None = Field(None, description="entry of the mandate's transparency log")
    answer_ledger_seq: int | None = None


class ContestPage(Schema):
    items: list[ContestOut]
    next_cursor: str | None = None


def _public_action(action_id: int) -> Action:
    return get_object_or_404(Action.objects.active().filter(mandate__is_published=True), pk=action_id)


@router.get("/actions/{action_id}/comments", response={200: list[CommentOut], **READ_ERRORS})
def list_action_comments(request, action_id: int):
    action = _public_action(action_id)
    return [rows.comment_row(c) for c in rows.public_comments([action.pk])]


@router.get("/actions/{action_id}/supports", response={200: SupportsOut, **READ_ERRORS})
def get_action_supports(request, action_id: int):
    growth = support_growth(_public_action(action_id))
    return {"action_id": action_id, "count": growth[-1]["total"] if growth else 0, "by_month": growth}


@router.get("/proposals", response={200: ProposalPage, **READ_ERRORS})
def list_proposals(
    request,
    municipality: str | None = None,
    status: ProposalStatus | None = None,
    kind: ProposalKind | None = None,
    cursor: str | None = None,
    limit: int = 50,
):
    proposals = Proposal.objects.filter(municipality__mandates__is_published=True).distinct()
    if municipality:
        proposals = proposals.filter(municipality__slug=municipality)
    if status:
        proposals = proposals.filter(status=status)
    if kind:
        proposals = proposals.filter(kind=kind)
    items, next_cursor = serialize.page_by_id(rows.proposals_queryset(proposals), cursor, limit)
    return {"items": [rows.proposal_row(p) for p in items], "next_cursor": next_cursor}


@router.get("/proposals/{proposal_id}", response={200: ProposalOut, **READ_ERRORS})
def get_proposal(request, proposal_id: int):
    published = Proposal.objects.filter(municipality__mandates__is_published=True).distinct()
    return rows.proposal_row(get_object_or_404(rows.proposals_queryset(published), pk=proposal_id))


@router.get("/contests", response={200: ContestPage, **READ_ERRORS})
def list_contests(
    request,
    municipality: str | None = None,
    answered: bool | None = None,
    cursor: str | None = None,
    limit: int = 50,
):
    contests = Contest.objects.filter(update__action__mandate__is_published=True)
    if municipality:
        contests = contests.filter(municipality__slug=municipality)
    if answered is not None:
        contests = contests.filter(answered_at__isnull=not answered)
    items, next_cursor = serialize.page_by_id(rows.contests_queryset(contests), cursor, limit)
    return {"items": [rows.contest_row(c) for c in items], "next_cursor": next_cursor}
