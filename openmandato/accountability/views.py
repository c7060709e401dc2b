"""Back-office: the pages staff use to report progress."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openmandato.accountability.forms import MeasurementForm, MyActionsFilter, ProgressUpdateForm
from openmandato.accountability.models import Indicator
from openmandato.accountability.services import (
    add_indicator,
    add_measurement,
    current_update,
    record_progress,
)
from openmandato.accountability.staff_forms import IndicatorForm
from openmandato.core.models import AuditEntry
from openmandato.core.permissions import (
    administered_municipalities,
    can_update_action,
    program_municipalities,
    staff_municipalities,
)
from openmandato.core.tenancy import scoped_object
from openmandato.programs.models import Action
from openmandato.programs.status import Status


@login_required
def my_actions(request):
    today = timezone.localdate()
    stale_before = today - datetime.timedelta(days=settings.STALE_AFTER_DAYS)
    mine = Action.objects.updatable_by(request.user).annotate(last_update=Max("updates__date"))
    actions = mine.select_related("section", "mandate__municipality").order_by(
        "mandate__municipality__name", "section__position", "section_id", "position"
    )
    overdue = Action.objects.overdue_q(today)
    stale = Q(status__in=Status.OPEN) & (Q(last_update__lt=stale_before) | Q(last_update__isnull=True))
    show = request.GET.get("show", "")
    if show == "overdue":
        actions = actions.filter(overdue)
    elif show == "stale":
        actions = actions.filter(stale)
    filters = MyActionsFilter(request.GET, municipalities=staff_municipalities(request.user).order_by("name"))
    if filters.is_valid():
        actions = filters.apply(actions)
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "show": show,
        "filters": filters,
        "overdue_count": mine.filter(overdue).count(),
        "stale_count": mine.filter(stale).count(),
        "stale_days": settings.STALE_AFTER_DAYS,
        "today": today,
        "stale_before": stale_before,
        "finished": Status.FINISHED,
        "can_invite": administered_municipalities(request.user).exists(),
        "can_edit_areas": program_municipalities(request.user).exists(),
    }
    return render(request, "backoffice/my_actions.html", context)


def _updatable_action(request, pk) -> Action:
    queryset = Action.objects.select_related("section", "mandate__municipality")
    return scoped_object(request, queryset, can_update_action, pk=pk)


@login_required
def action_update(request, pk, indicator_form=None):
    action = _updatable_action(request, pk)
    latest = current_update(action)
    if request.method == "POST":
        form = ProgressUpdateForm(request.POST, request.FILES, action=action)
        if form.is_valid():
            data = form.cleaned_data
            try:
                record_progress(
                    action,
                    user=request.user,
                    status=data["status"],
                    progress=data["progress"],
                    date=data["date"],
                    note=data["note"],
                    spent_budget=data["spent_budget"],
                    evidence=form.evidence(),
                    corrects=data["corrects"],
                    based_on=data["based_on"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Aggiornamento registrato."))
                return redirect("backoffice:action_update", pk=action.pk)
    else:
        initial = {"based_on": latest.pk if latest else None}
        if latest:
            initial.update(status=latest.status, progress=latest.progress)
        form = ProgressUpdateForm(initial=initial, action=action)
    context = {
        "action": action,
        # The shared timeline links uploaded evidence through its municipality's public URL.
        "municipality": request.municipality,
        "form": form,
        "latest": latest,
        "updates": action.updates.select_related("author", "corrects", "ledger_entry")
        .prefetch_related("evidence", "corrections")
        .order_by("-date", "-created_at"),
        "indicators": action.indicators.prefetch_related("measurements"),
        "measurement_form": MeasurementForm(),
        "indicator_form": indicator_form or IndicatorForm(),
    }
    return render(request, "backoffice/action_update.html", context)


@login_required
@require_POST
def indicator_add(request, pk):
    action = _updatable_action(request, pk)
    form = IndicatorForm(request.POST)
    if form.is_valid():
        try:
            indicator = add_indicator(action, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Indicatore «%(name)s» aggiunto.") % {"name": indicator.name})
            return redirect("backoffice:action_update", pk=action.pk)
    request.method = "GET"  # show the update page again, with this form's errors
    return action_update(request, pk, indicator_form=form)


@login_required
@require_POST
def measurement_add(request, pk):
    indicator = get_object_or_404(Indicator.objects.select_related("action__mandate"), pk=pk)
    action = _updatable_action(request, indicator.action_id)
    form = MeasurementForm(request.POST)
    if form.is_valid():
        try:
            add_measurement(indicator, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Misurazione registrata."))
    else:
        messages.error(request, _("Misurazione non valida: controlla data e valore."))
    return redirect("backoffice:action_update", pk=action.pk)


@login_required
def audit_log(request):
    entries = AuditEntry.objects.filter(municipality__in=staff_municipalities(request.user)).select_related(
        "user", "municipality"
    )
    if not request.user.is_superuser and not staff_municipalities(request.user).exists():
        raise PermissionDenied
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "backoffice/audit_log.html", {"page": page})
