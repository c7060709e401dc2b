import datetime
import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from openmandato.portal.caching import cacheable
from openmandato.portal.views import _context, _municipality_and_mandate
from openmandato.reports import exports, report_cache
from openmandato.reports.catalog import catalogue
from openmandato.reports.pdf import render_report
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
def export(request, slug, fmt):
    municipality, mandate = _municipality_and_mandate(request, slug)
    if fmt == "csv":
        body = exports.to_csv(exports.action_records(mandate), exports.ACTION_COLUMNS)
    elif fmt == "json":
        body = exports.to_json(mandate)
    elif fmt == "xlsx":
        body = exports.to_xlsx(mandate)
    else:
        raise Http404
    return _download(body, CONTENT_TYPES[fmt], f"{slug}-azioni.{fmt}")


@cacheable
def export_table(request, slug, table):
    municipality, mandate = _municipality_and_mandate(request, slug)
    if table == "updates":
        body = exports.to_csv(exports.update_records(mandate), exports.UPDATE_COLUMNS)
    elif table == "measurements":
        body = exports.to_csv(exports.measurement_records(mandate), exports.MEASUREMENT_COLUMNS)
    else:
        raise Http404
    return _download(body, CONTENT_TYPES["csv"], f"{slug}-{table}.csv")


@cacheable
def dictionary(request, slug):
    municipality, mandate = _municipality_and_mandate(request, slug)
    tables = [
        (_("Azioni"), "export.csv", exports.ACTION_COLUMNS),
        (_("Aggiornamenti"), "export-updates.csv", exports.UPDATE_COLUMNS),
        (_("Misurazioni"), "export-measurements.csv", exports.MEASUREMENT_COLUMNS),
    ]
    context = _context(municipality, mandate, tables=tables, licence=exports.LICENCE)
    return render(request, "reports/dictionary.html", context)


@cacheable
def catalog(request):
    body = json.dumps(catalogue(request.build_absolute_uri), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/ld+json; charset=utf-8")


def report_pdf(request, slug):
    municipality, mandate = _municipality_and_mandate(request, slug)
    as_of = None
    if request.GET.get("as_of"):
        try:
            as_of = datetime.date.fromisoformat(request.GET["as_of"])
        except ValueError:
            as_of = None
    key = report_cache.cache_key(mandate, as_of)
    pdf = report_cache.cached_report(key)
    if pdf is None:
        allowed, wait = report_cache.allowed_to_generate(request)
        if not allowed:
            return too_many(
                request,
                "too many reports requested",
                "Troppe relazioni richieste: riprova tra poco.",
                "Too many reports requested: please try again shortly.",
                wait,
            )
        pdf = render_report(mandate, as_of=as_of, base_url=request.build_absolute_uri("/"))
        report_cache.keep_report(key, pdf)
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = f"-{as_of.isoformat()}" if as_of else ""
    response["Content-Disposition"] = f'inline; filename="{slug}-relazione{suffix}.pdf"'
    return response
