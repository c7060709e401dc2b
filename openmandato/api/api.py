"""REST API v1: public reads, token-authenticated writes through the same services as the back-office."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, NinjaAPI, Query
from ninja.responses import Status
from ninja.security import HttpBearer

from openmandato.accountability import ledger, rollup
from openmandato.accountability.models import EvidenceKind, Indicator, Measurement, ProgressUpdate
from openmandato.accountability.services import EvidenceInput, StaleUpdate, add_measurement, record_progress
from openmandato.api import schemas, serialize
from openmandato.api.models import ApiToken, hash_token
from openmandato.api.throttles import PerIpThrottle, PerTokenThrottle
from openmandato.portal.search import search_actions
from openmandato.programs.models import Action, Mandate, Municipality, Section
from openmandato.search import services as search_services


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.objects.active().select_related("user").filter(key_hash=hash_token(token)).first()
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found


api = NinjaAPI(
    title="OpenMandato API",
    version="1.0",
    description=(
        "Mandate programs, actions, progress updates, indicators and the tamper-evident ledger of the "
        "municipalities published on OpenMandato. Reads are public; writes need a per-user token "
        "(`Authorization: Bearer …`) and follow the same roles as the back-office. Data licence: CC BY 4.0."
    ),
    urls_namespace="api",
    throttle=[PerIpThrottle(), PerTokenThrottle()],
)
READ_ERRORS = {400: schemas.ErrorOut, 404: schemas.ErrorOut}
WRITE_ERRORS = {
    400: schemas.ErrorOut,
    401: schemas.ErrorOut,
    403: schemas.ErrorOut,
    404: schemas.ErrorOut,
    409: schemas.ErrorOut,
}


@api.exception_handler(serialize.BadCursor)
def bad_cursor(request, exc):
    return api.create_response(request, {"detail": "invalid cursor"}, status=400)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "not found"}, status=404)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    status = 409 if isinstance(exc, StaleUpdate) else 400
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=status)


def visible_or_404(user, mandate: Mandate) -> None:
    """A draft is answered like a missing id to anyone without a role in its municipality."""
    if not mandate.is_visible_to(user):
        raise Http404


def published_mandates():
    return Mandate.objects.public().select_related("municipality")


def public_actions():
    return Action.objects.public()


@api.get("/municipalities", response=list[schemas.MunicipalityOut], tags=["programs"])
def list_municipalities(request):
    current = dict(published_mandates().current().values_list("municipality_id", "pk"))
    return [
        {**m, "current_mandate": current.get(m["id"])}
        for m in Municipality.objects.public()
        .order_by("name")
        .values("id", "slug", "name", "province", "region", "istat_code")
    ]


@api.get("/municipalities/{slug}", response={200: schemas.MunicipalityOut, **READ_ERRORS}, tags=["programs"])
def get_municipality(request, slug: str):
    municipality = get_object_or_404(Municipality.objects.public(), slug=slug)
    current = (
        published_mandates().current().filter(municipality=municipality).values_list("pk", flat=True).first()
    )
    return {**municipality.__dict__, "current_mandate": current}


@api.get("/mandates", response=list[schemas.MandateOut], tags=["programs"])
def list_mandates(request, municipality: str | None = None):
    mandates = rollup.with_mandate_progress(published_mandates()).order_by("municipality__name", "pk")
    return mandates.filter(municipality__slug=municipality) if municipality else mandates


@api.get("/mandates/{mandate_id}", response={200: schemas.MandateOut, **READ_ERRORS}, tags=["programs"])
def get_mandate(request, mandate_id: int):
    return get_object_or_404(rollup.with_mandate_progress(published_mandates()), pk=mandate_id)


@api.get(
    "/mandates/{mandate_id}/sections",
    response={200: list[schemas.SectionOut], **READ_ERRORS},
    tags=["programs"],
)
def list_sections(request, mandate_id: int):
    mandate = get_object_or_404(published_mandates(), pk=mandate_id)
    sections = rollup.with_section_progress(mandate.sections.prefetch_related("areas")).order_by(
        "tree_order", "pk"
    )
    return [
        {**section.__dict__, "weight": float(section.weight), "areas": [a.name for a in section.areas.all()]}
        for section in sections
    ]


class ActionFilters(schemas.Schema):
    municipality: str | None = None
    mandate: int | None = None
    status: schemas.StatusValue | None = None
    section: int | None = None
    area: int | None = None
    updated_since: datetime.date | None = None
    q: str | None = None
    cursor: str | None = None
    limit: int = 50


@api.get("/actions", response={200: schemas.ActionPage, **READ_ERRORS}, tags=["programs"])
def list_actions(request, filters: Query[ActionFilters]):
    actions = public_actions()
    if filters.municipality:
        actions = actions.filter(mandate__municipality__slug=filters.municipality)
    if filters.mandate:
        actions = actions.filter(mandate_id=filters.mandate)
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.section:
        prefix = Section.objects.filter(pk=filters.section).values_list("path", flat=True).first()
        actions = actions.filter(section_path__startswith=prefix) if prefix else actions.none()
    if filters.area:
        actions = actions.filter(areas=filters.area)
    if filters.updated_since:
        actions = actions.filter(updates__date__gte=filters.updated_since).distinct()
    if filters.q:
        matching = search_actions(public_actions(), filters.q[:200]).values("pk")
        actions = actions.filter(pk__in=matching)
    # One comune's (or mandate's) actions come in the program's order; across comuni, by id.
    paginate = (
        serialize.page_in_program_order if filters.municipality or filters.mandate else serialize.page_by_id
    )
    rows, next_cursor = paginate(serialize.actions_queryset(actions), filters.cursor, filters.limit)
    return {"items": serialize.action_rows(rows), "next_cursor": next_cursor}


class SearchFilters(schemas.Schema):
    q: str = Field(..., max_length=200)
    municipality: str | None = Field(None, description="slug or name of a comune")
    region: str | None = None
    province: str | None = None
    status: schemas.StatusValue | None = None
    mission: str | None = Field(None, description="DUP missione, two digits")
    page: int = Field(1, ge=1, le=1000)


@api.get("/search", response={200: schemas.SearchPageOut, **READ_ERRORS}, tags=["programs"])
def search(request, filters: Query[SearchFilters]):
    """Ranked search over the published programs: synonyms, typo correction, partial matches."""
    params = {
        "comune": filters.municipality,
        "region": filters.region,
        "province": filters.province,
        "status": filters.status,
        "mission": filters.mission,
    }
    page = search_services.run_search(filters.q, search_services.Filters.from_params(params), filters.page)
    rows = {
        action.pk: action
        for action in serialize.actions_queryset(
            Action.objects.filter(pk__in=[r.action.pk for r in page.rows])
        )
    }
    ordered = [rows[r.action.pk] for r in page.rows if r.action.pk in rows]
    terms = page.results.analysis.terms
    items = []
    for row, action_out in zip(page.rows, serialize.action_rows(ordered), strict=True):
        snippet, highlights = search_services.plain_snippet(row.action, terms)
        items.append(
            {
                "action": action_out,
                "municipality": row.action.mandate.municipality.name,
                "score": round(row.score, 4),
                "snippet": snippet,
                "highlights": highlights,
            }
        )
    return {
        "query": filters.q,
        "suggestion": page.results.analysis.suggestion,
        "count": page.count,
        "truncated": page.results.truncated,
        "page": page.page,
        "pages": page.pages,
        "items": items,
    }


@api.get("/actions/{action_id}", response={200: schemas.ActionOut, **READ_ERRORS}, tags=["programs"])
def get_action(request, action_id: int):
    action = get_object_or_404(serialize.actions_queryset(public_actions()), pk=action_id)
    return serialize.action_rows([action])[0]


@api.get(
    "/actions/{action_id}/updates",
    response={200: list[schemas.UpdateOut], **READ_ERRORS},
    tags=["accountability"],
)
def list_action_updates(request, action_id: int):
    action = get_object_or_404(public_actions(), pk=action_id)
    updates = serialize.updates_queryset(action.updates.order_by("date", "created_at", "pk"))
    return [serialize.update_row(update) for update in updates]


@api.get("/updates", response={200: schemas.UpdatePage, **READ_ERRORS}, tags=["accountability"])
def list_updates(
    request,
    municipality: str | None = None,
    since: datetime.date | None = None,
    cursor: str | None = None,
    limit: int = 50,
):
    updates = ProgressUpdate.objects.public()
    if municipality:
        updates = updates.filter(action__mandate__municipality__slug=municipality)
    if since:
        updates = updates.filter(date__gte=since)
    rows, next_cursor = serialize.page_by_id(serialize.updates_queryset(updates), cursor, limit)
    return {"items": [serialize.update_row(update) for update in rows], "next_cursor": next_cursor}


@api.get(
    "/actions/{action_id}/indicators",
    response={200: list[schemas.IndicatorOut], **READ_ERRORS},
    tags=["accountability"],
)
def list_indicators(request, action_id: int):
    action = get_object_or_404(public_actions(), pk=action_id)
    measurements = Prefetch("measurements", queryset=Measurement.objects.order_by("date", "pk"))
    return [
        {
            **indicator.__dict__,
            "baseline": float(indicator.baseline),
            "target": float(indicator.target),
            "measurements": [{**m.__dict__, "value": float(m.value)} for m in indicator.measurements.all()],
        }
        for indicator in action.indicators.prefetch_related(measurements).order_by("position", "pk")
    ]


@api.get(
    "/mandates/{mandate_id}/ledger", response={200: schemas.LedgerOut, **READ_ERRORS}, tags=["accountability"]
)
def get_ledger(request, mandate_id: int):
    return ledger.export(get_object_or_404(published_mandates(), pk=mandate_id))


@api.post(
    "/actions/{action_id}/updates",
    auth=TokenAuth(),
    response={201: schemas.UpdateOut, **WRITE_ERRORS},
    tags=["accountability"],
)
def post_update(request, action_id: int, payload: schemas.UpdateIn):
    action = get_object_or_404(Action.objects.select_related("mandate"), pk=action_id)
    visible_or_404(request.user, action.mandate)
    corrects = (
        get_object_or_404(ProgressUpdate, pk=payload.corrects, action=action) if payload.corrects else None
    )
    evidence = [EvidenceInput(kind=EvidenceKind.ACT, **act.dict()) for act in payload.acts]
    evidence += [
        EvidenceInput(kind=EvidenceKind.LINK, url=link.url, title=link.title) for link in payload.links
    ]
    fields = {"based_on": payload.based_on} if "based_on" in payload.model_fields_set else {}
    update = record_progress(
        action,
        user=request.user,
        status=payload.status,
        progress=payload.progress,
        date=payload.date,
        note=payload.note,
        spent_budget=Decimal(str(payload.spent_budget)) if payload.spent_budget is not None else None,
        evidence=evidence,
        corrects=corrects,
        **fields,
    )
    return Status(
        201, serialize.update_row(serialize.updates_queryset(ProgressUpdate.objects).get(pk=update.pk))
    )


@api.post(
    "/indicators/{indicator_id}/measurements",
    auth=TokenAuth(),
    response={201: schemas.MeasurementOut, **WRITE_ERRORS},
    tags=["accountability"],
)
def post_measurement(request, indicator_id: int, payload: schemas.MeasurementIn):
    indicator = get_object_or_404(Indicator.objects.select_related("action__mandate"), pk=indicator_id)
    visible_or_404(request.user, indicator.action.mandate)
    measurement = add_measurement(
        indicator, user=request.user, date=payload.date, value=Decimal(str(payload.value)), note=payload.note
    )
    row = {
        "id": measurement.pk,
        "date": measurement.date,
        "value": float(measurement.value),
        "note": measurement.note,
    }
    return Status(201, row)


from openmandato.api.tlog import router as tlog_router  # noqa: E402 (mounted after the core routes)

api.add_router("/tlog", tlog_router)

from openmandato.api.participation import router as participation_router  # noqa: E402

api.add_router("/", participation_router)

from openmandato.api.follows import router as follows_router  # noqa: E402

api.add_router("/follows", follows_router)
