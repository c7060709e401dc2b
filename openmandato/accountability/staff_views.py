"""Back-office staff management: who has which role, and inviting a colleague by e-mail."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from openmandato.accountability.staff import invite_staff
from openmandato.accountability.staff_forms import InvitationForm
from openmandato.core.models import Membership
from openmandato.core.permissions import administered_municipalities


@login_required
def staff(request):
    municipalities = administered_municipalities(request.user)
    if not municipalities.exists():
        raise PermissionDenied
    form = InvitationForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
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
        .select_related("user", "municipality")
        .prefetch_related("areas")
        .order_by("municipality__name", "user__username", "role")
    )
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    return render(request, "backoffice/staff.html", {"form": form, "page": page})


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
