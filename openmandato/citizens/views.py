"""The citizen's personal area: profile and preferences, what they follow, their data."""

import json

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openmandato.citizens import services
from openmandato.citizens.forms import DeleteAccountForm, ProfileForm
from openmandato.citizens.models import Follow


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
def profile(request):
    current = services.profile_for(request.user)
    form = ProfileForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Preferenze salvate."))
        return redirect("citizens:profile")
    follows = Follow.objects.filter(user=request.user).select_related(
        "municipality",
        "section__mandate__municipality",
        "area__municipality",
        "action__mandate__municipality",
    )[:200]
    context = {
        "form": form,
        "profile": current,
        "follows": [(item, services.target_label(item), services.target_url(item)) for item in follows],
        "email": EmailAddress.objects.filter(user=request.user, primary=True).first(),
        "tokens": request.user.api_tokens.filter(revoked_at__isnull=True),
        "new_token": request.session.pop("new_api_token", None),
    }
    return render(request, "citizens/profile.html", context)


@require_POST
def toggle_follow(request, kind, pk):
    if not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={_safe_next(request, '/')}")
    try:
        target = services.find_target(kind, pk)
    except ValidationError as error:
        raise Http404 from error
    if request.POST.get("follow") == "0":
        services.unfollow(request.user, kind, target)
        messages.success(request, _("Non segui più «%(name)s».") % {"name": _label(target)})
    else:
        services.follow(request.user, kind, target)
        messages.success(
            request,
            _("Ora segui «%(name)s»: ti avviseremo delle novità.") % {"name": _label(target)},
        )
    return redirect(_safe_next(request, "citizens:profile"))


def _label(target) -> str:
    return str(getattr(target, "heading", None) or target)


def _login_url() -> str:
    from django.urls import reverse

    return reverse("account_login")


@login_required
def export_data(request):
    data = services.export_personal_data(request.user)
    data["exported_at"] = timezone.now().isoformat()
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="openmandato-i-miei-dati.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_account(request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Il tuo account è stato cancellato."))
            return redirect("portal:home")
    return render(request, "citizens/delete.html", {"form": form})


def privacy(request):
    return render(request, "citizens/privacy.html")
