"""The end-of-mandate (or "as of" any date) report: HTML templates printed to PDF by WeasyPrint."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from openmandato.accountability.ledger import ALGORITHM
from openmandato.portal.charts import progress_bars, status_bars
from openmandato.programs.models import Mandate
from openmandato.reports.state import mandate_state

FONT_FILES = {
    (400, "normal"): "titillium-web-v10-latin-ext_latin-regular.woff2",
    (600, "normal"): "titillium-web-v10-latin-ext_latin-600.woff2",
    (700, "normal"): "titillium-web-v10-latin-ext_latin-700.woff2",
    (400, "italic"): "titillium-web-v10-latin-ext_latin-italic.woff2",
}


def font_faces() -> list[dict]:
    faces = []
    for (weight, style), name in FONT_FILES.items():
        found = finders.find(f"vendor/bootstrap-italia/fonts/Titillium_Web/{name}")
        if found:
            faces.append({"weight": weight, "style": style, "url": Path(found).as_uri()})
    return faces


def report_context(mandate: Mandate, as_of: datetime.date | None = None) -> dict:
    state = mandate_state(mandate, as_of)
    top = [s for s in state.sections if s.depth <= 1]
    is_final = bool(mandate.ends_on and state.as_of >= mandate.ends_on)
    return {
        "state": state,
        "mandate": mandate,
        "municipality": mandate.municipality,
        "is_final": is_final,
        "status_chart": status_bars(state.status_counts),
        "section_chart": progress_bars(
            [(("— " if s.depth else "") + s.section.title, s.progress) for s in top]
        ),
        "generated_at": timezone.localtime(),
        "algorithm": ALGORITHM,
        "fonts": font_faces(),
    }


def render_report_html(mandate: Mandate, as_of: datetime.date | None = None) -> str:
    with translation.override("it"):
        return render_to_string("reports/report.html", report_context(mandate, as_of))


def render_report(mandate: Mandate, as_of: datetime.date | None = None, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    from openmandato.reports.fetcher import ReportURLFetcher

    html = render_report_html(mandate, as_of)
    base = base_url or Path(__file__).parent.as_uri()
    return HTML(string=html, base_url=base, url_fetcher=ReportURLFetcher()).write_pdf()
