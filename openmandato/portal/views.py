from django.conf import settings
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from openmandato.accountability import ledger
from openmandato.accountability.models import Evidence
from openmandato.accountability.permissions import can_see_staff_pages
from openmandato.accountability.uploads import INLINE_TYPES
from openmandato.portal import embeds, services
from openmandato.portal.caching import cacheable
from openmandato.portal.search import search_actions
from openmandato.programs.models import Action, Area, Municipality
from openmandato.programs.status import Status

PAGE_SIZE = 25


@cacheable
def home(request):
    return render(
        request, "portal/home.html", {"municipalities": services.municipalities_with_current_mandate()}
    )


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


def _context(municipality, mandate, **extra):
    return {
        "municipality": municipality,
        "mandate": mandate,
        "ledger_head": services.ledger_head(mandate),
        **extra,
    }


@cacheable
def municipality(request, slug):
    municipality, mandate = _municipality_and_mandate(request, slug, required=False)
    draft = mandate is None and not Municipality.objects.public().filter(pk=municipality.pk).exists()
    if draft and not can_see_staff_pages(request.user, municipality.pk):
        raise Http404  # a draft municipality's name is not public
    context = _context(municipality, mandate)
    if mandate:
        context.update(services.dashboard(mandate))
        if mandate.is_published:
            context["embed"] = embeds.snippet(embeds.municipality_widget(request, municipality))
    return render(request, "portal/municipality.html", context)


@cacheable
def section(request, slug, pk):
    municipality, mandate = _municipality_and_mandate(request, slug)
    row = services.find_section_row(services.section_tree(mandate), int(pk))
    if row is None:
        raise Http404
    return render(request, "portal/section.html", _context(municipality, mandate, row=row))


@cacheable
def action(request, slug, pk):
    municipality, mandate = _municipality_and_mandate(request, slug)
    action = get_object_or_404(Action.objects.select_related("section", "parent"), pk=pk, mandate=mandate)
    action.mandate = mandate
    context = _context(municipality, mandate, **services.action_detail(action))
    if mandate.is_published and action.archived_at is None:
        context["embed"] = embeds.snippet(embeds.action_widget(request, action))
    return render(request, "portal/action.html", context)


@cacheable
def area(request, slug, pk):
    municipality, mandate = _municipality_and_mandate(request, slug)
    area = get_object_or_404(Area, pk=pk, municipality=municipality)
    actions = services.filtered_actions(mandate, {"area": area.pk})
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = _context(municipality, mandate, area=area, page=page, **services.area_summary(area, mandate))
    return render(request, "portal/area.html", context)


@cacheable
def action_list(request, slug):
    municipality, mandate = _municipality_and_mandate(request, slug)
    params = {key: request.GET.get(key) for key in ("section", "area", "overdue", "q", "sort")}
    params["status"] = request.GET.getlist("status")
    page = Paginator(services.filtered_actions(mandate, params), PAGE_SIZE).get_page(request.GET.get("page"))
    context = _context(
        municipality,
        mandate,
        page=page,
        params=params,
        statuses=Status.choices,
        sections=mandate.sections.order_by("tree_order", "pk"),
        areas=municipality.areas.order_by("name"),
        sorts=SORT_LABELS,
    )
    template = (
        "portal/_action_results.html" if request.headers.get("HX-Request") else "portal/action_list.html"
    )
    response = render(request, template, context)
    # The same URL serves the whole page or, to htmx, only the results: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


SORT_LABELS = [
    ("code", _("Ordine del programma")),
    ("-updated", _("Aggiornate di recente")),
    ("-progress", _("Avanzamento (decrescente)")),
    ("progress", _("Avanzamento (crescente)")),
    ("due_date", _("Scadenza")),
    ("title", _("Titolo")),
]


@cacheable
def search(request, slug=None):
    query = (request.GET.get("q") or "").strip()[:200]
    municipality = get_object_or_404(Municipality, slug=slug) if slug else None
    draft = municipality and not Municipality.objects.public().filter(pk=municipality.pk).exists()
    if draft and not can_see_staff_pages(request.user, municipality.pk):
        raise Http404  # a draft municipality's name is not public
    actions = services.public_actions()
    if municipality:
        actions = actions.filter(mandate__municipality=municipality)
    results = (
        search_actions(actions, query).select_related("mandate__municipality", "section")[:200]
        if query
        else []
    )
    groups = services.group_by_municipality(results)
    context = {"query": query, "groups": groups, "municipality": municipality, "count": len(results)}
    return render(request, "portal/search.html", context)


@cacheable
def compare(request):
    query = (request.GET.get("q") or "").strip()[:200]
    origin = None
    actions = services.public_actions()
    if not query and (action_id := services._int(request.GET.get("action"))):
        origin = (
            Action.objects.filter(pk=action_id, mandate__is_published=True)
            .select_related("mandate__municipality")
            .first()
        )
        if origin:
            query = origin.title
            actions = actions.exclude(mandate__municipality=origin.mandate.municipality)
    results = search_actions(actions, query, any_term=True).select_related(
        "mandate__municipality", "section"
    )[:100]
    groups = services.group_by_municipality(results if query else [], per_group=3)
    return render(request, "portal/compare.html", {"query": query, "origin": origin, "groups": groups})


@cacheable
def method(request, slug):
    municipality, mandate = _municipality_and_mandate(request, slug)
    return render(
        request, "portal/method.html", _context(municipality, mandate, **services.weights_table(mandate))
    )


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


def set_language(request, code):
    """Language switch by plain link (no form, so public pages stay cacheable)."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def municipality_logo(request, slug):
    """The comune's stemma, served with the type its checked suffix implies and never sniffed."""
    from openmandato.programs.logos import logo_content_type

    municipality, _mandate = _municipality_and_mandate(request, slug)  # a draft comune shows nothing
    if not municipality.logo:
        raise Http404
    try:
        handle = municipality.logo.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=logo_content_type(municipality.logo.name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@cacheable
def privacy(request, slug):
    municipality, mandate = _municipality_and_mandate(request, slug)
    return render(request, "portal/privacy.html", _context(municipality, mandate))


@cacheable
def legal_notes(request, slug):
    municipality, mandate = _municipality_and_mandate(request, slug)
    return render(request, "portal/legal_notes.html", _context(municipality, mandate))
