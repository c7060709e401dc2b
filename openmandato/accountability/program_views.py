"""Back-office pages for the program's structure: responsible areas and their actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from openmandato.accountability.staff_forms import AreaForm
from openmandato.core.permissions import (
    can_edit_object,
    program_municipalities,
)
from openmandato.core.tenancy import scoped_object
from openmandato.programs.models import Action, Area, Section
from openmandato.programs.services import assign_actions_to_area, create_area


@login_required
def areas(request):
    municipalities = program_municipalities(request.user)
    if not municipalities.exists():
        raise PermissionDenied
    form = AreaForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        try:
            area = create_area(
                form.cleaned_data["municipality"], name=form.cleaned_data["name"], user=request.user
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("Area «%(name)s» creata.") % {"name": area.name})
            return redirect("backoffice:area_actions", pk=area.pk)
    listing = (
        Area.objects.filter(municipality__in=municipalities)
        .select_related("municipality")
        .annotate(action_count=Count("actions", distinct=True))
        .order_by("municipality__name", "name")
    )
    page = Paginator(listing, 50).get_page(request.GET.get("page"))
    return render(request, "backoffice/areas.html", {"form": form, "page": page})


def _editable_area(request, pk) -> Area:
    return scoped_object(request, Area.objects.select_related("municipality"), can_edit_object, pk=pk)


@login_required
def area_actions(request, pk):
    """The comune's actions with a checkbox each: assign many to the area (or remove them) at once."""
    area = _editable_area(request, pk)
    actions = (
        Action.objects.for_municipality(area.municipality)
        .active()
        .leaves()
        .select_related("section")
        .prefetch_related("areas")
        .order_by("mandate_id", "section__position", "section_id", "position", "pk")
    )
    sections = Section.objects.filter(mandate__municipality=area.municipality).order_by(
        "mandate_id", "path", "position", "pk"
    )
    section = request.GET.get("section", "")
    if section.isascii() and section.isdigit():
        actions = actions.filter(section_id=int(section))
    if request.GET.get("assigned") == "no":
        actions = actions.exclude(areas=area)
    page = Paginator(actions, 100).get_page(request.GET.get("page"))
    context = {"area": area, "page": page, "sections": sections, "section": section}
    return render(request, "backoffice/area_actions.html", context)


@login_required
@require_POST
def area_assign(request, pk):
    area = _editable_area(request, pk)
    ids = [int(value) for value in request.POST.getlist("actions") if value.isascii() and value.isdigit()][
        :1000
    ]
    remove = request.POST.get("op") == "remove"
    if not ids:
        messages.error(request, _("Seleziona almeno un'azione."))
    else:
        try:
            changed = assign_actions_to_area(area, ids, user=request.user, remove=remove)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            text = (
                ngettext("%(n)d azione tolta dall'area.", "%(n)d azioni tolte dall'area.", changed)
                if remove
                else ngettext("%(n)d azione assegnata all'area.", "%(n)d azioni assegnate all'area.", changed)
            )
            messages.success(request, text % {"n": changed})
    url = reverse("backoffice:area_actions", args=[area.pk])
    section = request.POST.get("section", "")
    return redirect(f"{url}?section={section}" if section.isdigit() else url)
