"""Back-office staff management: who has which role, and inviting a colleague by e-mail or, when SPID/CIE
are on, by fiscal code."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from openmandato.accountability.staff import invite_staff
from openmandato.accountability.staff_forms import FiscalCodeInvitationForm, InvitationForm
from openmandato.core.models import Membership
from openmandato.core.permissions import administered_municipalities
from openmandato.spid import conf as spid_conf
from openmandato.spid.services import invite_staff_by_fiscal_code


@login_required
def staff(request):
    municipalities = administered_municipalities(request.user)
    if not municipalities.exists():
        raise PermissionDenied
    national = any(spid_conf.enabled(method) for method in spid_conf.METHODS)
    by_code = national and request.method == "POST" and request.POST.get("invite") == "fiscal_code"
    form = InvitationForm(
        request.POST if request.method == "POST" and not by_code else None, municipalities=municipalities
    )
    code_form = (
        FiscalCodeInvitationForm(request.POST if by_code else None, municipalities=municipalities)
        if national
        else None
    )
    if by_code and code_form.is_valid():
        data = code_form.cleaned_data
        try:
            invite_staff_by_fiscal_code(
                data["municipality"],
                fiscal_code=data["fiscal_code"],
                role=data["role"],
                areas=list(data["areas"]),
                invited_by=request.user,
            )
        except ValidationError as error:
            code_form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Ruolo assegnato: lo riceverà al primo accesso con SPID o CIE (%(role)s, %(name)s).")
                % {
                    "role": dict(code_form.fields["role"].choices)[data["role"]],
                    "name": data["municipality"].name,
                },
            )
            return redirect("backoffice:staff")
    if request.method == "POST" and not by_code and form.is_valid():
        data = form.cleaned_data
        try:
            invite_staff(
                data["municipality"],
                email=data["email"],
                role=data["role"],
                areas=list(data["areas"]),
                invited_by=request.user,
                base_url=f"{request.scheme}://{request.get_host()}",
            )
        except ValidationError as error:
            form.add_error(None, error)
        except OSError:
            form.add_error(None, _("Non è stato possibile inviare l'e-mail: riprova più tardi."))
        else:
            messages.success(
                request, _("Invito inviato a %(email)s.") % {"email": data["email"].strip().lower()}
            )
            return redirect("backoffice:staff")
    members = (
        Membership.objects.filter(municipality__in=municipalities)
        .select_related("user", "user__fiscal_code", "municipality")
        .prefetch_related("areas")
        .order_by("municipality__name", "user__username", "role")
    )
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    return render(request, "backoffice/staff.html", {"form": form, "code_form": code_form, "page": page})


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The invitee sets a password from the e-mailed one-time link and is signed in."""

    extra_context = {"invitation": True}
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"  # allauth adds a second one
    success_url = reverse_lazy("backoffice:my_actions")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Benvenuto! La tua password è attiva."))
        return response
