"""Participation writes: each checks the user's role for the municipality (or that a citizen is signed
in), counts the abuse limits, runs in one transaction with an audit entry, and sends its signal once
the transaction commits. Contests and their answers are also entries of the transparency log."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from openmandato.accountability import ledger
from openmandato.accountability.markup import render_markdown
from openmandato.accountability.models import ProgressUpdate
from openmandato.accountability.uploads import check_upload
from openmandato.core.audit import record_audit
from openmandato.participation import limits, signals
from openmandato.participation.display import author_paths
from openmandato.participation.markup import render_comment
from openmandato.participation.models import (
    Comment,
    CommentReport,
    Contest,
    ContestedClaim,
    Proposal,
    ProposalKind,
    ProposalStatus,
    ProposalSupport,
    Support,
)
from openmandato.participation.permissions import (
    can_answer_contest,
    can_answer_officially,
    can_answer_proposals,
    can_moderate,
)
from openmandato.programs.models import Action, Municipality
from openmandato.spid.services import resident_ids

MAX_COMMENT = 4000
MAX_PROPOSAL = 8000
MAX_CONTEST = 4000
MAX_ANSWER = 8000


def _signed_in(user) -> None:
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Accedi per partecipare."))


def _text(value: str, limit: int, *, required: bool = True) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError(_("Il testo contiene caratteri non ammessi."), code="nul")
    if required and not text:
        raise ValidationError(_("Il testo è vuoto."), code="empty")
    if len(text) > limit:
        raise ValidationError(
            _("Il testo è troppo lungo (al massimo %(limit)d caratteri).") % {"limit": limit}, code="long"
        )
    return text


def _open_for_participation(action: Action) -> None:
    if not action.mandate.is_published or action.archived_at is not None:
        raise ValidationError(_("Questa azione non accetta interventi."), code="closed")


# --- Comments ------------------------------------------------------------------------------------


def post_comment(
    action: Action, *, user, body: str, parent: Comment | None = None, official: bool = False, ip=None
) -> Comment:
    """A comment, or a reply to a top-level comment (one level only). Official answers are staff's."""
    _signed_in(user)
    _open_for_participation(action)
    if official and not can_answer_officially(user, action):
        raise PermissionDenied(
            _("Solo il personale responsabile dell'azione può dare una risposta ufficiale.")
        )
    if parent is not None:
        if parent.action_id != action.pk:
            raise ValidationError(
                _("Si può rispondere solo a un commento della stessa azione."), code="parent"
            )
        if parent.parent_id is not None:
            parent = parent.parent  # one level of replies: answer the thread
        if parent.hidden_at is not None:
            raise ValidationError(_("Non si può rispondere a un commento nascosto."), code="hidden")
    text = _text(body, MAX_COMMENT)
    limits.check("comment", user, ip)
    with transaction.atomic():
        comment = Comment.objects.create(
            municipality_id=action.mandate.municipality_id,
            action=action,
            parent=parent,
            author=user,
            body=text,
            body_html=render_comment(text),
            is_official=official,
        )
        record_audit(user, comment.municipality_id, "comment", comment, after=_comment_state(comment))
        signals.send_on_commit(signals.comment_posted, Comment, comment=comment)
        if official:
            signals.send_on_commit(signals.official_answer_posted, Comment, comment=comment)
    return comment


def edit_comment(comment: Comment, *, user, body: str) -> Comment:
    if not comment.editable_by(user):
        raise PermissionDenied(_("Un commento si può modificare solo entro 15 minuti da chi lo ha scritto."))
    text = _text(body, MAX_COMMENT)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        before = _comment_state(comment)
        comment.body, comment.body_html, comment.edited_at = text, render_comment(text), timezone.now()
        comment.save(update_fields=["body", "body_html", "edited_at"])
        record_audit(
            user, comment.municipality_id, "change", comment, before=before, after=_comment_state(comment)
        )
    return comment


def report_comment(comment: Comment, *, user, reason: str, ip=None) -> CommentReport:
    _signed_in(user)
    text = _text(reason, 300)
    limits.check("report", user, ip)
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(comment=comment, reporter=user, reason=text)
            record_audit(user, comment.municipality_id, "report", comment, after={"reason": text})
    except IntegrityError:
        raise ValidationError(_("Hai già segnalato questo commento."), code="duplicate") from None
    return report


def hide_comment(comment: Comment, *, user, reason: str) -> Comment:
    """A moderator hides a comment; the reason is shown in its place. Its open reports are resolved."""
    if not can_moderate(user, comment.municipality_id):
        raise PermissionDenied(_("Non hai i permessi per moderare in questo comune."))
    text = _text(reason, 300)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        before = _comment_state(comment)
        comment.hidden_at, comment.hidden_by, comment.hidden_reason = timezone.now(), user, text
        comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        comment.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        record_audit(
            user, comment.municipality_id, "hide", comment, before=before, after=_comment_state(comment)
        )
    return comment


def restore_comment(comment: Comment, *, user) -> Comment:
    if not can_moderate(user, comment.municipality_id):
        raise PermissionDenied(_("Non hai i permessi per moderare in questo comune."))
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        before = _comment_state(comment)
        comment.hidden_at, comment.hidden_by, comment.hidden_reason = None, None, ""
        comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        record_audit(
            user, comment.municipality_id, "restore", comment, before=before, after=_comment_state(comment)
        )
    return comment


def dismiss_reports(comment: Comment, *, user) -> int:
    """The comment stays: its open reports are closed."""
    if not can_moderate(user, comment.municipality_id):
        raise PermissionDenied(_("Non hai i permessi per moderare in questo comune."))
    with transaction.atomic():
        count = comment.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        record_audit(user, comment.municipality_id, "dismiss", comment, after={"reports": count})
    return count


def _comment_state(comment: Comment) -> dict:
    return {
        "body": comment.body,
        "is_official": comment.is_official,
        "hidden_reason": comment.hidden_reason if comment.hidden_at else "",
    }


# --- Supports ------------------------------------------------------------------------------------


def support_action(action: Action, *, user, ip=None) -> bool:
    """'Mi sta a cuore' once per citizen per action; True when a new support was recorded."""
    _signed_in(user)
    _open_for_participation(action)
    limits.check("support", user, ip)
    try:
        with transaction.atomic():
            support = Support.objects.create(action=action, user=user)
            record_audit(
                user, action.mandate.municipality_id, "support", support, after={"action": action.pk}
            )
    except IntegrityError:
        return False  # already supported: still once
    return True


def withdraw_support(action: Action, *, user, ip=None) -> bool:
    _signed_in(user)
    limits.check("support", user, ip)
    with transaction.atomic():
        support = Support.objects.filter(action=action, user=user).first()
        if support is None:
            return False
        record_audit(user, action.mandate.municipality_id, "unsupport", support, before={"action": action.pk})
        support.delete()
    return True


def support_growth(action: Action) -> list[dict]:
    """Cumulative supports at the end of each month since the first one (one query)."""
    months = (
        Support.objects.filter(action=action)
        .annotate(month=TruncMonth("created_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    total, rows = 0, []
    for row in months:
        total += row["n"]
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        rows.append({"month": month, "added": row["n"], "total": total})
    return rows


def support_chart(growth: list[dict]) -> dict | None:
    """Bars of the running total, one per month with new supports (drawn by the template)."""
    if not growth:
        return None
    width, height, base = 560, 120, 100
    top = growth[-1]["total"] or 1
    step = min(width / len(growth), 56)
    bars = [
        {
            "x": round(index * step + 2, 1),
            "w": round(max(step - 4, 1), 1),
            "h": round(row["total"] / top * (base - 8), 1),
            "y": round(base - row["total"] / top * (base - 8), 1),
        }
        for index, row in enumerate(growth)
    ]
    return {
        "width": width,
        "height": height,
        "base": base,
        "bars": bars,
        "first": growth[0]["month"],
        "last": growth[-1]["month"],
    }


# --- Proposals -----------------------------------------------------------------------------------


def submit_proposal(
    municipality: Municipality,
    *,
    user,
    kind: str,
    title: str,
    body: str,
    action: Action | None = None,
    ip=None,
) -> Proposal:
    _signed_in(user)
    if kind not in ProposalKind.values:
        raise ValidationError(_("Tipo di proposta non valido."), code="kind")
    if kind == ProposalKind.IMPROVEMENT:
        if action is None:
            raise ValidationError(_("Scegli l'azione che vuoi migliorare."), code="action")
        if action.mandate.municipality_id != municipality.pk or not action.mandate.is_published:
            raise ValidationError(_("L'azione scelta non è di questo comune."), code="action")
    else:
        action = None
    title_text = _text(title, 200)
    text = _text(body, MAX_PROPOSAL)
    limits.check("proposal", user, ip)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            municipality=municipality,
            kind=kind,
            action=action,
            title=title_text,
            body=text,
            body_html=render_comment(text),
            author=user,
        )
        record_audit(user, municipality.pk, "create", proposal, after={"title": title_text, "kind": kind})
    return proposal


def support_proposal(proposal: Proposal, *, user, ip=None) -> bool:
    _signed_in(user)
    if proposal.author_id == user.pk:
        raise ValidationError(_("Non puoi sostenere la tua proposta."), code="own")
    limits.check("support", user, ip)
    try:
        with transaction.atomic():
            support = ProposalSupport.objects.create(proposal=proposal, user=user)
            Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
            record_audit(user, proposal.municipality_id, "support", support, after={"proposal": proposal.pk})
    except IntegrityError:
        return False
    return True


def answer_proposal(
    proposal: Proposal, *, user, status: str, answer: str, linked_action: Action | None = None
) -> Proposal:
    """Accepted (linked to an existing or a new action), under evaluation, or rejected with a reason."""
    if not can_answer_proposals(user, proposal.municipality_id):
        raise PermissionDenied(_("Non hai i permessi per rispondere alle proposte di questo comune."))
    if status not in (ProposalStatus.EVALUATING, ProposalStatus.ACCEPTED, ProposalStatus.REJECTED):
        raise ValidationError(_("Stato della risposta non valido."), code="status")
    text = _text(answer, MAX_ANSWER, required=status != ProposalStatus.EVALUATING)
    if status == ProposalStatus.REJECTED and not text:
        raise ValidationError(_("Per respingere una proposta serve una motivazione."), code="reason")
    if status == ProposalStatus.ACCEPTED:
        if linked_action is None:
            raise ValidationError(
                _("Una proposta accolta va collegata a un'azione, esistente o nuova."), code="link"
            )
        if linked_action.mandate.municipality_id != proposal.municipality_id:
            raise ValidationError(_("L'azione scelta non è di questo comune."), code="link")
    else:
        linked_action = None
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        before = {"status": proposal.status, "answer": proposal.answer}
        proposal.status, proposal.answer, proposal.answer_html = status, text, render_markdown(text)
        proposal.answered_at, proposal.answered_by, proposal.linked_action = (
            timezone.now(),
            user,
            linked_action,
        )
        proposal.save()
        record_audit(
            user,
            proposal.municipality_id,
            "answer",
            proposal,
            before=before,
            after={"status": status, "answer": text, "linked_action": getattr(linked_action, "pk", None)},
        )
        signals.send_on_commit(signals.proposal_answered, Proposal, proposal=proposal)
    return proposal


# --- Contests ------------------------------------------------------------------------------------


def contest_update(
    update: ProgressUpdate,
    *,
    user,
    claim: str,
    reason: str,
    link: str = "",
    document=None,
    ip=None,
) -> Contest:
    """'Segnala un'inesattezza' on a progress update, logged in the mandate's transparency log."""
    _signed_in(user)
    action = update.action
    _open_for_participation(action)
    if claim not in ContestedClaim.values:
        raise ValidationError(_("Scegli che cosa contesti."), code="claim")
    text = _text(reason, MAX_CONTEST)
    link = (link or "").strip()
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise ValidationError(
                _("Il link non è valido: usa un indirizzo http o https."), code="link"
            ) from None
    checked = check_upload(document) if document is not None else None
    limits.check("contest", user, ip)
    contest = Contest(
        municipality_id=action.mandate.municipality_id,
        update=update,
        claim=claim,
        reason=text,
        link=link,
        author=user,
    )
    if checked is not None:
        contest.document_name = checked.original_name
        contest.document_type = checked.content_type
        contest.document_sha256 = checked.sha256
    try:
        with transaction.atomic():
            if checked is not None:
                contest.document.save(checked.storage_name, checked.upload, save=False)
            contest.save()
            contest.ledger_entry = ledger.append_event(
                action.mandate, "contested_claim", _contest_data(contest)
            )
            contest.save(update_fields=["ledger_entry"])
            record_audit(
                user, contest.municipality_id, "contest", contest, after={"claim": claim, "update": update.pk}
            )
            signals.send_on_commit(signals.contest_posted, Contest, contest=contest)
    except Exception:
        if contest.document:
            contest.document.storage.delete(contest.document.name)
        raise
    return contest


def answer_contest(contest: Contest, *, user, answer: str) -> Contest:
    if not can_answer_contest(user, contest):
        raise PermissionDenied(_("Non hai i permessi per rispondere a questa segnalazione."))
    text = _text(answer, MAX_ANSWER)
    with transaction.atomic():
        contest = (
            Contest.objects.select_for_update().select_related("update__action__mandate").get(pk=contest.pk)
        )
        if contest.answered_at is not None:
            raise ValidationError(_("Questa segnalazione ha già una risposta."), code="answered")
        contest.answer, contest.answer_html = text, render_markdown(text)
        contest.answered_at, contest.answered_by = timezone.now(), user
        contest.save(update_fields=["answer", "answer_html", "answered_at", "answered_by"])
        contest.answer_ledger_entry = ledger.append_event(
            contest.update.action.mandate,
            "official_answer",
            {
                "contest": contest.pk,
                "update": contest.update_id,
                "action": contest.update.action_id,
                "answer": text,
                "answered_at": contest.answered_at.isoformat(),
            },
        )
        contest.save(update_fields=["answer_ledger_entry"])
        record_audit(user, contest.municipality_id, "answer", contest, after={"answer": text})
        signals.send_on_commit(signals.contest_answered, Contest, contest=contest)
    return contest


def _contest_data(contest: Contest) -> dict:
    # No personal data in the log: it can never be erased.
    return {
        "contest": contest.pk,
        "update": contest.update_id,
        "action": contest.update.action_id,
        "claim": contest.claim,
        "reason": contest.reason,
        "link": contest.link,
        "document_sha256": contest.document_sha256,
        "contested_at": contest.created_at.isoformat(),
    }


# --- Read models for the pages -------------------------------------------------------------------


def action_participation(action: Action, user, updates: list[ProgressUpdate]) -> dict:
    """Comments (threads), supports and contests of an action page: a fixed number of queries."""
    comments = list(
        Comment.objects.filter(action=action)
        .select_related(*author_paths(), "hidden_by")
        .order_by("created_at", "pk")
    )
    replies: dict[int, list[Comment]] = defaultdict(list)
    threads = []
    for comment in comments:
        (replies[comment.parent_id] if comment.parent_id else threads).append(comment)
    for comment in threads:
        comment.thread_replies = replies.get(comment.pk, [])
    for comment in comments:
        comment.can_edit = comment.editable_by(user)
    contests = list(
        Contest.objects.filter(update__in=[u.pk for u in updates])
        .select_related("ledger_entry", "answer_ledger_entry")
        .order_by("created_at", "pk")
    )
    by_update: dict[int, list[Contest]] = defaultdict(list)
    for contest in contests:
        by_update[contest.update_id].append(contest)
    for update in updates:
        update.contest_list = by_update.get(update.pk, [])
    growth = support_growth(action)
    signed_in = bool(user and user.is_authenticated)
    authors = {c.author_id for c in comments} | {c.author_id for c in contests}
    return {
        "threads": threads,
        "residents": resident_ids(action.mandate.municipality_id, authors - {None}),
        "comment_count": sum(1 for c in comments if c.hidden_at is None),
        "support_count": growth[-1]["total"] if growth else 0,
        "support_growth": growth,
        "support_chart": support_chart(growth),
        "participation": True,
        "supported": signed_in and Support.objects.filter(action=action, user=user).exists(),
        "can_answer": signed_in and can_answer_officially(user, action),
        "can_moderate": signed_in and can_moderate(user, action.mandate.municipality_id),
    }


def proposal_queryset(municipality: Municipality):
    return Proposal.objects.filter(municipality=municipality).select_related(
        "action__mandate__municipality", "linked_action__mandate__municipality"
    )


def unanswered_contests(municipality: Municipality):
    """Contests unanswered for more than 30 days (the dashboard's list)."""
    return (
        Contest.objects.overdue()
        .filter(municipality=municipality)
        .select_related("update__action__mandate__municipality")
        .order_by("created_at", "pk")
    )
