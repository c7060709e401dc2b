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
from openmandato.accountability.uploads import INLINE_TYPES
from openmandato.core.tenancy import resolve_tenant, tenant_view
from openmandato.participation import services as participation
from openmandato.portal import embeds, services
from openmandato.portal.caching import cacheable
from openmandato.portal.services import page_context
from openmandato.programs.models import Action, Area
from openmandato.programs.status import Status
from openmandato.search import services as search_services

PAGE_SIZE = 25


HOME_PAGE_SIZE = 60


@cacheable
def home(request):
    """Every public comune, by region and province, a page at a time, from the summary the writes keep."""
    region = (request.GET.get("regione") or "").strip()[:60]
    province = (request.GET.get("provincia") or "").strip()[:60] if region else ""
    summaries = services.home_summaries(region, province)
    page = Paginator(summaries, HOME_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "municipalities": page.object_list,
        "region": region,
        "province": province,
        "regions": services.home_regions(),
        "provinces": services.home_provinces(region) if region else [],
    }
    return render(request, "portal/home.html", context)


@cacheable
@tenant_view(mandate_required=False)
def municipality(request, slug):
    municipality, mandate = request.municipality, request.mandate
    context = page_context(request)
    if mandate:
        context.update(services.dashboard(mandate))
        overdue_contests = participation.unanswered_contests(municipality)
        context["overdue_contests"] = list(overdue_contests[:10])
        context["overdue_contests_count"] = overdue_contests.count()
        if mandate.is_published:
            context["embed"] = embeds.snippet(embeds.municipality_widget(request, municipality))
    return render(request, "portal/municipality.html", context)


@cacheable
@tenant_view
def section(request, slug, pk):
    section = get_object_or_404(request.mandate.sections, pk=pk)
    page = services.section_page(request.mandate, section, request.GET.get("page"), PAGE_SIZE)
    return render(request, "portal/section.html", page_context(request, **page))


@cacheable
@tenant_view
def action(request, slug, pk):
    mandate = request.mandate
    action = get_object_or_404(Action.objects.select_related("section", "parent"), pk=pk, mandate=mandate)
    action.mandate = mandate
    context = page_context(request, **services.action_detail(action))
    if mandate.is_published:
        context.update(participation.action_participation(action, request.user, context["updates"]))
    if mandate.is_published and action.archived_at is None:
        context["embed"] = embeds.snippet(embeds.action_widget(request, action))
    return render(request, "portal/action.html", context)


@cacheable
@tenant_view
def area(request, slug, pk):
    municipality, mandate = request.municipality, request.mandate
    area = get_object_or_404(Area, pk=pk, municipality=municipality)
    actions = services.filtered_actions(mandate, {"area": area.pk})
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = page_context(request, area=area, page=page, **services.area_summary(area, mandate))
    return render(request, "portal/area.html", context)


@cacheable
@tenant_view
def action_list(request, slug):
    municipality, mandate = request.municipality, request.mandate
    params = {key: request.GET.get(key) for key in ("section", "area", "overdue", "q", "sort")}
    params["status"] = request.GET.getlist("status")
    page = Paginator(services.filtered_actions(mandate, params), PAGE_SIZE).get_page(request.GET.get("page"))
    context = page_context(
        request,
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
    ("-supports", _("Più a cuore ai cittadini")),
    ("-updated", _("Aggiornate di recente")),
    ("-progress", _("Avanzamento (decrescente)")),
    ("progress", _("Avanzamento (crescente)")),
    ("due_date", _("Scadenza")),
    ("title", _("Titolo")),
]


@cacheable
def search(request, slug=None):
    if slug:
        resolve_tenant(request, slug, mandate_required=False)  # a draft municipality's name is not public
    municipality = request.municipality if slug else None
    query = (request.GET.get("q") or "").strip()[:200]
    filters = search_services.Filters.from_params(request.GET)
    if municipality:
        filters.municipality, filters.region, filters.province = municipality.slug, "", ""
    number = services._int(request.GET.get("page")) or 1
    page = search_services.run_search(query, filters, number) if query else None
    context = {
        "query": query,
        "municipality": municipality,
        "filters": filters,
        "result_page": page,
        "statuses": Status.choices,
        "missions": search_services.MISSIONS.items(),
        "regions": [] if municipality else search_services.regions(),
    }
    return render(request, "portal/search.html", context)


@cacheable
def compare(request):
    query = (request.GET.get("q") or "").strip()[:200]
    filters = search_services.Filters.from_params(request.GET)
    filters.municipality = filters.status = filters.mission = ""  # compare filters by place only
    origin, neighbours, groups = None, [], []
    if not query and (action_id := services._int(request.GET.get("action"))):
        origin = search_services.load_origin(action_id)
        if origin:
            neighbours = search_services.similar_actions(origin, filters)
    elif query:
        groups = search_services.best_per_municipality(query, filters)
    context = {
        "query": query,
        "origin": origin,
        "neighbours": neighbours,
        "groups": groups,
        "filters": filters,
        "regions": search_services.regions(),
        "threshold": search_services.THRESHOLD,
    }
    return render(request, "portal/compare.html", context)


@cacheable
@tenant_view
def method(request, slug):
    context = page_context(request, **services.weights_table(request.mandate))
    return render(request, "portal/method.html", context)


@tenant_view
def ledger_json(request, slug):
    municipality, mandate = request.municipality, request.mandate
    response = JsonResponse(ledger.export(mandate), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'inline; filename="{municipality.slug}-ledger.json"'
    return response


@tenant_view
def evidence_file(request, slug, pk):
    evidence = get_object_or_404(Evidence, pk=pk, update__action__mandate=request.mandate)
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


@tenant_view  # a draft comune shows nothing
def municipality_logo(request, slug):
    """The comune's stemma, served with the type its checked suffix implies and never sniffed."""
    from openmandato.programs.logos import logo_content_type

    municipality = request.municipality
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
@tenant_view
def privacy(request, slug):
    return render(request, "portal/privacy.html", page_context(request))


@cacheable
@tenant_view
def legal_notes(request, slug):
    return render(request, "portal/legal_notes.html", page_context(request))
