import datetime
import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from openmandato.core.tenancy import tenant_view
from openmandato.portal.caching import cacheable
from openmandato.portal.services import page_context
from openmandato.reports import exports, report_cache
from openmandato.reports.catalog import catalogue
from openmandato.security.throttle import too_many

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@cacheable
@tenant_view
def export(request, slug, fmt):
    mandate = request.mandate
    if fmt == "csv":
        body = exports.to_csv(exports.action_records(mandate), exports.ACTION_COLUMNS)
    elif fmt == "json":
        body = exports.to_json(mandate)
    elif fmt == "xlsx":
        body = exports.to_xlsx(mandate)
    else:
        raise Http404
    return _download(body, CONTENT_TYPES[fmt], f"{slug}-azioni.{fmt}")


PARTICIPATION_TABLES = {
    "comments": (exports.comment_records, exports.COMMENT_COLUMNS),
    "proposals": (exports.proposal_records, exports.PROPOSAL_COLUMNS),
    "contests": (exports.contest_records, exports.CONTEST_COLUMNS),
}


@cacheable
@tenant_view
def export_table(request, slug, table):
    mandate = request.mandate
    if table == "updates":
        body = exports.to_csv(exports.update_records(mandate), exports.UPDATE_COLUMNS)
    elif table == "measurements":
        body = exports.to_csv(exports.measurement_records(mandate), exports.MEASUREMENT_COLUMNS)
    elif table in PARTICIPATION_TABLES:
        records, columns = PARTICIPATION_TABLES[table]
        body = exports.to_csv(records(mandate), columns)
    else:
        raise Http404
    return _download(body, CONTENT_TYPES["csv"], f"{slug}-{table}.csv")


@cacheable
@tenant_view
def dictionary(request, slug):
    tables = [
        (_("Azioni"), "export.csv", exports.ACTION_COLUMNS),
        (_("Aggiornamenti"), "export-updates.csv", exports.UPDATE_COLUMNS),
        (_("Misurazioni"), "export-measurements.csv", exports.MEASUREMENT_COLUMNS),
        (_("Commenti visibili"), "export-comments.csv", exports.COMMENT_COLUMNS),
        (_("Proposte dei cittadini"), "export-proposals.csv", exports.PROPOSAL_COLUMNS),
        (_("Segnalazioni di inesattezza"), "export-contests.csv", exports.CONTEST_COLUMNS),
    ]
    context = page_context(request, tables=tables, licence=exports.LICENCE)
    return render(request, "reports/dictionary.html", context)


@cacheable
def catalog(request):
    body = json.dumps(
        catalogue(request.build_absolute_uri, request.GET.get("page")),
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return HttpResponse(body, content_type="application/ld+json; charset=utf-8")


@cacheable(daily=True)  # "as of today" unless as_of is given: the day is part of its ETag
@tenant_view
def report_pdf(request, slug):
    mandate = request.mandate
    as_of = None
    if request.GET.get("as_of"):
        try:
            as_of = datetime.date.fromisoformat(request.GET["as_of"])
        except ValueError:
            as_of = None
    key = report_cache.cache_key(mandate, as_of)
    pdf = report_cache.cached_report(key)
    if pdf is None and not report_cache.is_pending(key):
        allowed, wait = report_cache.allowed_to_generate(request)
        if not allowed:
            return too_many(
                request,
                "too many reports requested",
                "Troppe relazioni richieste: riprova tra poco.",
                "Too many reports requested: please try again shortly.",
                wait,
            )
        report_cache.request_report(key, mandate, as_of, request.build_absolute_uri("/"))
        pdf = report_cache.cached_report(key)  # already there when the tasks run in-process
    if pdf is None:
        context = page_context(request, as_of=as_of)
        response = render(request, "reports/report_pending.html", context, status=202)
        response["Retry-After"] = "5"
        response["X-Pending"] = "1"
        response["Cache-Control"] = "no-store"
        return response
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = f"-{as_of.isoformat()}" if as_of else ""
    response["Content-Disposition"] = f'inline; filename="{slug}-relazione{suffix}.pdf"'
    return response
