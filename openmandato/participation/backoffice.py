"""Back-office: the moderation queue, contests to answer and proposals to answer, per municipality; the
comune's verified residents and its rule on proposals, for its administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openmandato.core.permissions import can_administer, staff_municipalities
from openmandato.participation import services
from openmandato.participation.display import author_paths, display_name
from openmandato.participation.forms import (
    ContestAnswerForm,
    ProposalAnswerForm,
    ReasonForm,
    ResidentChangeForm,
    ResidentRuleForm,
)
from openmandato.participation.models import Comment, CommentReport, Contest, Proposal, ProposalStatus
from openmandato.participation.permissions import (
    can_answer_contest,
    can_answer_proposals,
    can_moderate,
    participation_staff,
)
from openmandato.participation.queries import participants
from openmandato.programs.models import Action, Municipality
from openmandato.spid import services as spid_services
from openmandato.spid.models import VerifiedResident

PAGE_SIZE = 30
MAX_SEARCH = 60


def _municipalities(request, check):
    """The user's comuni where `check` holds; 403 when there is none."""
    allowed = [m for m in staff_municipalities(request.user).order_by("name") if check(request.user, m.pk)]
    if not allowed:
        raise PermissionDenied
    return allowed


@login_required
def moderation(request):
    municipalities = _municipalities(request, can_moderate)
    comments = (
        Comment.objects.filter(municipality__in=municipalities)
        .select_related(*author_paths(), "action__mandate__municipality", "municipality", "hidden_by")
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
    )
    show = request.GET.get("show", "reported")
    if show == "reported":
        comments = comments.filter(open_reports__gt=0).order_by("-open_reports", "created_at")
    elif show == "hidden":
        comments = comments.filter(hidden_at__isnull=False).order_by("-hidden_at")
    else:
        show = "recent"
        comments = comments.order_by("-created_at", "-pk")
    page = Paginator(comments, PAGE_SIZE).get_page(request.GET.get("page"))
    reasons = {
        row["comment_id"]: row["reason"]
        for row in CommentReport.objects.filter(
            comment__in=[c.pk for c in page], resolved_at__isnull=True
        ).values("comment_id", "reason")
    }
    for comment in page:
        comment.report_reason = reasons.get(comment.pk, "")
    return render(
        request,
        "participation/backoffice/moderation.html",
        {"page": page, "show": show, "hide_form": ReasonForm()},
    )


def _moderated(request, pk) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("action"), pk=pk)
    if not can_moderate(request.user, comment.municipality_id):
        raise PermissionDenied
    return comment


@login_required
def comment_hide(request, pk):
    comment = _moderated(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_comment(comment, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Commento nascosto."))
            return redirect(request.POST.get("next") or "participation:moderation")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "participation/backoffice/comment_hide.html",
        {"comment": comment, "form": form},
        status=status,
    )


@login_required
@require_POST
def comment_restore(request, pk):
    services.restore_comment(_moderated(request, pk), user=request.user)
    messages.success(request, _("Commento di nuovo visibile."))
    return redirect("participation:moderation")


@login_required
@require_POST
def comment_dismiss(request, pk):
    services.dismiss_reports(_moderated(request, pk), user=request.user)
    messages.success(request, _("Segnalazioni archiviate: il commento resta visibile."))
    return redirect("participation:moderation")


@login_required
def contests(request):
    municipalities = _municipalities(request, participation_staff)
    rows = Contest.objects.filter(municipality__in=municipalities).select_related(
        "update__action__mandate__municipality", "municipality"
    )
    show = request.GET.get("show", "open")
    rows = rows.filter(answered_at__isnull=show == "open") if show in ("open", "answered") else rows
    page = Paginator(rows.order_by("created_at", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    overdue = Contest.objects.overdue().filter(municipality__in=municipalities).count()
    return render(
        request, "participation/backoffice/contests.html", {"page": page, "show": show, "overdue": overdue}
    )


@login_required
def contest_answer(request, pk):
    contest = get_object_or_404(
        Contest.objects.select_related("update__action__mandate__municipality", "ledger_entry"), pk=pk
    )
    if not can_answer_contest(request.user, contest):
        raise PermissionDenied
    form = ContestAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_contest(contest, user=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Risposta pubblicata e registrata."))
            return redirect("participation:contests")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "participation/backoffice/contest_answer.html",
        {"contest": contest, "form": form},
        status=status,
    )


@login_required
def proposals(request):
    municipalities = _municipalities(request, can_answer_proposals)
    rows = Proposal.objects.filter(municipality__in=municipalities).select_related("municipality", "action")
    show = request.GET.get("show", "open")
    if show == "open":
        rows = rows.filter(status__in=[ProposalStatus.OPEN, ProposalStatus.EVALUATING])
    page = Paginator(rows.order_by("created_at", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "participation/backoffice/proposals.html", {"page": page, "show": show})


@login_required
def proposal_answer(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("municipality", "action"), pk=pk)
    if not can_answer_proposals(request.user, proposal.municipality_id):
        raise PermissionDenied
    form = ProposalAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        linked = None
        if data["linked_action"]:
            linked = (
                Action.objects.filter(pk=data["linked_action"], mandate__municipality=proposal.municipality)
                .select_related("mandate")
                .first()
            )
            if linked is None:
                form.add_error(
                    "linked_action", _("Nessuna azione di questo comune ha questo identificativo.")
                )
        if not form.errors:
            try:
                services.answer_proposal(
                    proposal,
                    user=request.user,
                    status=data["status"],
                    answer=data["answer"],
                    linked_action=linked,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Risposta alla proposta pubblicata."))
                return redirect("participation:bo_proposals")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "participation/backoffice/proposal_answer.html",
        {"proposal": proposal, "form": form},
        status=status,
    )


def _administered(request, slug) -> Municipality:
    """The comune of the residents' pages: 404 when unknown, 403 unless the user administers it (the
    role spid.services.mark_resident asks for)."""
    municipality = get_object_or_404(Municipality, slug=slug)
    if not can_administer(request.user, municipality.pk):
        raise PermissionDenied
    return municipality


def _search(request) -> str:
    return request.GET.get("nome", "").replace("\x00", "").strip()[:MAX_SEARCH]


@login_required
def residents_home(request):
    return redirect("participation:residents", _municipalities(request, can_administer)[0].slug)


@login_required
def residents(request, slug):
    """The comune's rule on proposals, and its participants (public names only) to mark or unmark as
    verified residents."""
    municipality = _administered(request, slug)
    query = _search(request)
    rows = participants(municipality)
    if query:
        rows = rows.filter(public_name__icontains=query)
    page = Paginator(rows.order_by("public_name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    sources = dict(
        VerifiedResident.objects.filter(municipality=municipality, user__in=[u.pk for u in page]).values_list(
            "user_id", "source"
        )
    )
    labels = dict(VerifiedResident.Source.choices)
    for user in page:
        user.resident_source = labels.get(sources.get(user.pk), "")
    rule = ResidentRuleForm(
        initial={"residents_only_proposals": spid_services.residents_only_proposals(municipality)}
    )
    return render(
        request,
        "participation/backoffice/residents.html",
        {
            "municipality": municipality,
            "others": [m for m in _municipalities(request, can_administer) if m.pk != municipality.pk],
            "page": page,
            "search": query,
            "rule_form": rule,
        },
    )


@login_required
@require_POST
def resident_rule(request, slug):
    municipality = _administered(request, slug)
    form = ResidentRuleForm(request.POST)
    form.is_valid()  # a check box: always valid
    value = form.cleaned_data.get("residents_only_proposals", False)
    spid_services.set_residents_only_proposals(municipality, value, by=request.user)
    if value:
        messages.success(request, _("Da ora le proposte sono riservate ai residenti verificati."))
    else:
        messages.success(request, _("Da ora chiunque abbia accesso può presentare proposte."))
    return redirect("participation:residents", municipality.slug)


@login_required
def resident_change(request, slug, user_id):
    municipality = _administered(request, slug)
    person = get_object_or_404(participants(municipality), pk=user_id)
    is_resident = VerifiedResident.objects.filter(user=person, municipality=municipality).exists()
    form = ResidentChangeForm(request.POST or None, initial={"mark": "0" if is_resident else "1"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["mark"] and not is_resident:
                spid_services.mark_resident(person, municipality, by=request.user, reason=data["reason"])
                messages.success(
                    request, _("%(name)s è ora residente verificato.") % {"name": display_name(person)}
                )
            elif not data["mark"] and is_resident:
                spid_services.unmark_resident(person, municipality, by=request.user, reason=data["reason"])
                messages.success(
                    request, _("%(name)s non è più residente verificato.") % {"name": display_name(person)}
                )
            else:
                messages.info(request, _("Nessuna modifica: la pagina non era aggiornata."))
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            return redirect("participation:residents", municipality.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "participation/backoffice/resident_change.html",
        {"municipality": municipality, "person": person, "is_resident": is_resident, "form": form},
        status=status,
    )
