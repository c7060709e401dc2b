from django.shortcuts import get_object_or_404, render

from openmandato.portal.services import mandate_overview, municipalities_with_current_mandate
from openmandato.programs.models import Municipality


def home(request):
    return render(request, "portal/home.html", {"municipalities": municipalities_with_current_mandate()})


def municipality(request, slug):
    municipality = get_object_or_404(Municipality, slug=slug)
    mandate = municipality.mandates.filter(is_current=True).first()
    context = {"municipality": municipality, "overview": mandate_overview(mandate) if mandate else None}
    if mandate:
        context["principles"] = list(mandate.principles.order_by("position"))
    return render(request, "portal/municipality.html", context)
