"""Public participation pages and the forms posted from an action page. Views are short: find the
comune (drafts are 404 to outsiders), check the form, call one service, redirect or show the error."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from openmandato.accountability.models import ProgressUpdate
from openmandato.accountability.uploads import INLINE_TYPES
from openmandato.core.tenancy import resolve_tenant
from openmandato.participation import services
from openmandato.participation.display import author_paths
from openmandato.participation.forms import (
    CommentEditForm,
    CommentForm,
    ContestForm,
    ProposalFilter,
    ProposalForm,
    ReasonForm,
)
from openmandato.participation.limits import TooMany
from openmandato.participation.models import Comment, Contest, Proposal, ProposalStatus, ProposalSupport
from openmandato.programs.models import Action
from openmandato.spid.services import refusal as assurance_refusal
from openmandato.spid.services import resident_ids

PAGE_SIZE = 20


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def municipality_and_mandate(request, slug):
    """The comune and its current mandate; a draft is a 404 to anyone who is not its staff."""
    resolve_tenant(request, slug)
    return request.municipality, request.mandate


def _action(request, slug, pk) -> Action:
    municipality, mandate = municipality_and_mandate(request, slug)
    action = get_object_or_404(Action.objects.select_related("section"), pk=pk, mandate=mandate)
    action.mandate = mandate
    return action


def _comment(request, slug, pk) -> Comment:
    municipality, mandate = municipality_and_mandate(request, slug)
    comment = get_object_or_404(
        Comment.objects.select_related("action__mandate__municipality", "author"),
        pk=pk,
        action__mandate=mandate,
    )
    return comment


def _status(error: ValidationError) -> int:
    return 429 if isinstance(error, TooMany) else 400


def _context(action_or_municipality, **extra):
    if isinstance(action_or_municipality, Action):
        return {
            "action": action_or_municipality,
            "municipality": action_or_municipality.mandate.municipality,
            **extra,
        }
    return {"municipality": action_or_municipality, **extra}


def _login(request):
    return redirect_to_login(request.get_full_path())


def _refused(request, what: str, municipality, where, back: str):
    """The 403 page when this session's sign-in is too weak for `what` (LEVEL_OF_ASSURANCE) or the comune
    takes proposals from verified residents only; None when allowed. Nothing is written."""
    refusal = assurance_refusal(request, what, municipality)
    if refusal is None:
        return None
    context = _context(where, message=refusal.message, refusal=refusal, back=back)
    return render(request, "participation/error.html", context, status=403)


@require_POST
def comment_post(request, slug, pk):
    action = _action(request, slug, pk)
    if not request.user.is_authenticated:
        return _login(request)
    back = action.get_absolute_url() + "#commenti"
    if refused := _refused(request, "comment", action.mandate.municipality, action, back):
        return refused
    form = CommentForm(request.POST)
    status = 400
    if form.is_valid() and not form.is_spam():
        data = form.cleaned_data
        parent = None
        if data["parent"]:
            parent = Comment.objects.filter(pk=data["parent"], action=action).first()
            if parent is None:
                raise Http404
        try:
            comment = services.post_comment(
                action,
                user=request.user,
                body=data["body"],
                parent=parent,
                official=data["official"],
                ip=_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
            status = _status(error)
        else:
            return redirect(action.get_absolute_url() + f"#comment-{comment.pk}")
    elif form.is_spam():
        return redirect(action.get_absolute_url())  # a bot: nothing written, nothing said
    return render(request, "participation/comment_form.html", _context(action, form=form), status=status)


@login_required
def comment_edit(request, slug, pk):
    comment = _comment(request, slug, pk)
    action = comment.action
    if not comment.editable_by(request.user):
        return render(
            request, "participation/comment_locked.html", _context(action, comment=comment), status=403
        )
    back = action.get_absolute_url() + f"#comment-{comment.pk}"
    if refused := _refused(request, "comment", action.mandate.municipality, action, back):
        return refused
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(comment, user=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(action.get_absolute_url() + f"#comment-{comment.pk}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "participation/comment_edit.html",
        _context(action, comment=comment, form=form),
        status=status,
    )


@login_required
def comment_report(request, slug, pk):
    comment = _comment(request, slug, pk)
    action = comment.action
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.report_comment(
                    comment, user=request.user, reason=form.cleaned_data["reason"], ip=_ip(request)
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = _status(error)
            else:
                return render(
                    request, "participation/comment_reported.html", _context(action, comment=comment)
                )
    return render(
        request,
        "participation/comment_report.html",
        _context(action, comment=comment, form=form),
        status=status,
    )


@require_POST
def support(request, slug, pk):
    action = _action(request, slug, pk)
    if not request.user.is_authenticated:
        return _login(request)
    back = action.get_absolute_url() + "#sostegno"
    withdraw = bool(request.POST.get("withdraw"))  # taking one's support back needs no stronger sign-in
    if not withdraw and (refused := _refused(request, "support", action.mandate.municipality, action, back)):
        return refused
    try:
        if withdraw:
            services.withdraw_support(action, user=request.user, ip=_ip(request))
        else:
            services.support_action(action, user=request.user, ip=_ip(request))
    except ValidationError as error:
        return render(
            request,
            "participation/error.html",
            _context(action, message=" ".join(error.messages)),
            status=_status(error),
        )
    return redirect(action.get_absolute_url() + "#sostegno")


def contest(request, slug, pk):
    """'Segnala un'inesattezza' on one progress update."""
    municipality, mandate = municipality_and_mandate(request, slug)
    update = get_object_or_404(
        ProgressUpdate.objects.select_related("action__section"), pk=pk, action__mandate=mandate
    )
    action = update.action
    action.mandate = mandate
    if not request.user.is_authenticated:
        return _login(request)
    back = action.get_absolute_url() + f"#update-{update.pk}"
    if refused := _refused(request, "contest", municipality, action, back):
        return refused
    form = ContestForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and form.is_spam():
            return redirect(action.get_absolute_url())
        if form.is_valid():
            data = form.cleaned_data
            try:
                contest = services.contest_update(
                    update,
                    user=request.user,
                    claim=data["claim"],
                    reason=data["reason"],
                    link=data["link"],
                    document=data["document"],
                    ip=_ip(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = _status(error)
            else:
                return redirect(action.get_absolute_url() + f"#contest-{contest.pk}")
    return render(
        request, "participation/contest_form.html", _context(action, update=update, form=form), status=status
    )


def contest_document(request, slug, pk):
    municipality, mandate = municipality_and_mandate(request, slug)
    contest = get_object_or_404(Contest, pk=pk, update__action__mandate=mandate)
    if not contest.document:
        raise Http404
    response = FileResponse(
        contest.document.open("rb"),
        content_type=contest.document_type or "application/octet-stream",
        as_attachment=contest.document_type not in INLINE_TYPES,
        filename=contest.document_name or None,
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def proposal_list(request, slug):
    municipality, mandate = municipality_and_mandate(request, slug)
    filters = ProposalFilter(request.GET)
    proposals = services.proposal_queryset(municipality)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["status"]:
            proposals = proposals.filter(status=data["status"])
        if data["kind"]:
            proposals = proposals.filter(kind=data["kind"])
        if data["sort"] == "supports":
            proposals = proposals.order_by("-support_count", "-created_at", "-pk")
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    context = _context(
        municipality,
        mandate=mandate,
        page=page,
        filters=filters,
        statuses=ProposalStatus,
        residents=resident_ids(municipality, [p.author_id for p in page]),
    )
    return render(request, "participation/proposal_list.html", context)


def proposal_detail(request, slug, pk):
    municipality, mandate = municipality_and_mandate(request, slug)
    proposal = get_object_or_404(
        services.proposal_queryset(municipality).select_related(*author_paths()), pk=pk
    )
    supported = (
        request.user.is_authenticated
        and ProposalSupport.objects.filter(proposal=proposal, user=request.user).exists()
    )
    context = _context(
        municipality,
        mandate=mandate,
        proposal=proposal,
        supported=supported,
        residents=resident_ids(municipality, [proposal.author_id]),
    )
    return render(request, "participation/proposal_detail.html", context)


def proposal_new(request, slug):
    municipality, mandate = municipality_and_mandate(request, slug)
    if not request.user.is_authenticated:
        return _login(request)
    back = reverse("participation:proposals", args=[municipality.slug])
    if refused := _refused(request, "proposal", municipality, municipality, back):
        return refused
    initial = (
        {"kind": "improvement", "action": request.GET.get("action")}
        if request.GET.get("action", "").isdigit()
        else {}
    )
    form = ProposalForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and form.is_spam():
            return redirect("participation:proposals", slug=municipality.slug)
        if form.is_valid():
            data = form.cleaned_data
            action = None
            if data["action"]:
                action = (
                    Action.objects.filter(pk=data["action"], mandate=mandate)
                    .select_related("mandate")
                    .first()
                )
                if action is None:
                    form.add_error("action", ValidationError(_no_such_action()))
            if not form.errors:
                try:
                    proposal = services.submit_proposal(
                        municipality,
                        user=request.user,
                        kind=data["kind"],
                        title=data["title"],
                        body=data["body"],
                        action=action,
                        ip=_ip(request),
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                    status = _status(error)
                else:
                    return redirect("participation:proposal", slug=municipality.slug, pk=proposal.pk)
    return render(
        request, "participation/proposal_form.html", _context(municipality, form=form), status=status
    )


def _no_such_action():
    from django.utils.translation import gettext

    return gettext("Nessuna azione di questo comune ha questo identificativo.")


@require_POST
def proposal_support(request, slug, pk):
    municipality, mandate = municipality_and_mandate(request, slug)
    proposal = get_object_or_404(Proposal, pk=pk, municipality=municipality)
    if not request.user.is_authenticated:
        return _login(request)
    back = reverse("participation:proposal", args=[municipality.slug, proposal.pk]) + "#sostegno"
    if refused := _refused(request, "support", municipality, municipality, back):
        return refused
    try:
        services.support_proposal(proposal, user=request.user, ip=_ip(request))
    except ValidationError as error:
        return render(
            request,
            "participation/error.html",
            _context(municipality, message=" ".join(error.messages)),
            status=_status(error),
        )
    return redirect(reverse("participation:proposal", args=[municipality.slug, proposal.pk]) + "#sostegno")
