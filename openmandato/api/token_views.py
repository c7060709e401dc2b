"""Personal API tokens from the citizen's personal area (staff get theirs with `create_api_token`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openmandato.api.models import ApiToken
from openmandato.core.permissions import staff_municipalities
from openmandato.spid import conf as spid_conf

MAX_ACTIVE = 5


def staff_token_allowed(request) -> bool:
    """When the back-office requires SPID/CIE (LOA_STAFF), a token, which writes as the back-office does,
    is created only from a session at that level by anyone holding a role in a comune."""
    if spid_conf.level_required("staff") == "email" or spid_conf.allows(request, "staff"):
        return True
    return not staff_municipalities(request.user).exists()


@login_required
@require_POST
def create_token(request):
    if not staff_token_allowed(request):
        messages.error(
            request, _("Chi lavora per un comune crea un token solo dopo l'accesso con SPID o CIE.")
        )
        return redirect("citizens:profile")
    if ApiToken.objects.filter(user=request.user, revoked_at__isnull=True).count() >= MAX_ACTIVE:
        messages.error(request, _("Hai già cinque token attivi: revocane uno."))
        return redirect("citizens:profile")
    _token, secret = ApiToken.issue(request.user, name=_("Area personale"))
    request.session["new_api_token"] = secret  # shown once by the profile page
    return redirect("citizens:profile")


@login_required
@require_POST
def revoke_token(request, pk):
    ApiToken.objects.filter(user=request.user, pk=pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    messages.success(request, _("Token revocato."))
    return redirect("citizens:profile")


app_name = "api_tokens"
urlpatterns = [
    path("", create_token, name="create"),
    path("<int:pk>/revoca/", revoke_token, name="revoke"),
]
