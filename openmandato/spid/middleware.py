"""The back-office can require SPID/CIE: with LOA_STAFF above "email", a session opened with a password
(or a weaker SPID level) does not reach /backoffice/; the person is asked to sign in again with SPID/CIE."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from openmandato.spid import conf


class RequireStrongStaffSignIn:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith("/backoffice/")
            and conf.level_required("staff") != "email"
            and request.user.is_authenticated
            and not conf.allows(request, "staff")
        ):
            logout(request)
            messages.error(
                request, _("Per l'area riservata questo comune richiede l'accesso con SPID o CIE.")
            )
            return redirect("account_login")
        return self.get_response(request)
