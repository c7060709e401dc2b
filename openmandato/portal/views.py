from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render

from openmandato.accountability import ledger
from openmandato.accountability.models import Evidence
from openmandato.accountability.permissions import can_see_staff_pages
from openmandato.accountability.uploads import INLINE_TYPES
from openmandato.portal.services import (
    action_detail,
    ledger_head,
    mandate_overview,
    municipalities_with_current_mandate,
    weights_table,
)
from openmandato.programs.models import Action, Municipality


def home(request):
    return render(request, "portal/home.html", {"municipalities": municipalities_with_current_mandate()})


def visible_mandate(request, municipality):
    """The current mandate, if published or if the visitor is staff of this municipality (drafts)."""
    mandate = municipality.mandates.filter(is_current=True).first()
    if mandate and not mandate.is_published and not can_see_staff_pages(request.user, municipality.pk):
        return None
    return mandate


def _municipality_and_mandate(request, slug, *, required=True):
    municipality = get_object_or_404(Municipality, slug=slug)
    mandate = visible_mandate(request, municipality)
    if required and mandate is None:
        raise Http404
    return municipality, mandate


def municipality(request, slug):
    municipality, mandate = _municipality_and_mandate(request, slug, required=False)
    context = {
        "municipality": municipality,
        "overview": mandate_overview(mandate) if mandate else None,
        "ledger_head": ledger_head(mandate),
    }
    if mandate:
        context["principles"] = list(mandate.principles.order_by("position"))
    return render(request, "portal/municipality.html", context)


def action(request, slug, pk):
    municipality, mandate = _municipality_and_mandate(request, slug)
    action = get_object_or_404(Action.objects.select_related("section", "parent"), pk=pk, mandate=mandate)
    context = {"municipality": municipality, "mandate": mandate, "ledger_head": ledger_head(mandate)}
    context.update(action_detail(action))
    return render(request, "portal/action.html", context)


def method(request, slug):
    municipality, mandate = _municipality_and_mandate(request, slug)
    context = {"municipality": municipality, "mandate": mandate, "ledger_head": ledger_head(mandate)}
    context.update(weights_table(mandate))
    return render(request, "portal/method.html", context)


def ledger_json(request, slug):
    municipality, mandate = _municipality_and_mandate(request, slug)
    response = JsonResponse(ledger.export(mandate), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'inline; filename="{municipality.slug}-ledger.json"'
    return response


def evidence_file(request, slug, pk):
    municipality, mandate = _municipality_and_mandate(request, slug)
    evidence = get_object_or_404(Evidence, pk=pk, update__action__mandate=mandate)
    if not evidence.file:
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type or "application/octet-stream",
        as_attachment=evidence.content_type not in INLINE_TYPES,
        filename=evidence.original_name or None,
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
