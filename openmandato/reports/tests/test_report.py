import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from openmandato.accountability import ledger
from openmandato.portal.templatetags.portal import percent
from openmandato.programs.models import Mandate
from openmandato.programs.rollup import mandate_progress
from openmandato.reports.state import mandate_state

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_report_is_a_real_document_matching_the_portal(demo):
    mandate = Mandate.objects.get(municipality__slug="valenza")
    response = Client().get("/valenza/report.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    pages, text = pdf_text(response.content)
    assert pages >= 10
    assert "Comune di Valenza" in text and "Relazione di fine mandato" in text
    assert "DATI DIMOSTRATIVI" in text
    overall = percent(mandate_progress(mandate))
    assert overall in text and overall in Client().get("/valenza/").content.decode()
    for section in ["Bellezza", "Cultura", "Under 30", "Allegato"]:
        assert section in text
    assert "Raddoppiare il progetto" in text and "Alberi piantati per ogni nato" in text
    head = ledger.head(mandate).hash
    assert head[:40] in re.sub(r"\s+", "", text)
    # Status counts printed in the summary are those of the portal's dashboard.
    state = mandate_state(mandate)
    dashboard = Client().get("/valenza/").content.decode()
    for _value, label, count in state.status_counts:
        assert f"{label}: {count}." in dashboard


def test_a_mid_term_report_shows_the_state_as_of_a_date(demo):
    mandate = Mandate.objects.get(municipality__slug="valenza")
    early = mandate_state(mandate, datetime.date(2021, 6, 30))
    today = mandate_state(mandate)
    assert early.progress < today.progress
    assert early.ledger_count <= today.ledger_count
    _pages, text = pdf_text(Client().get("/valenza/report.pdf", {"as_of": "2021-06-30"}).content)
    assert "Stato di attuazione del programma" in text and "30 giugno 2021" in text.lower()
    assert "Relazione di fine mandato" not in text
    assert percent(early.progress) in text


def test_the_report_command_writes_the_pdf_and_refuses_bad_input(demo, tmp_path, capsys):
    target = tmp_path / "cremona.pdf"
    call_command("report", "cremona", "-o", str(target), "--as-of", "2023-12-31")
    assert target.read_bytes().startswith(b"%PDF")
    assert "Relazione scritta" in capsys.readouterr().out
    for args in (["atlantide", "-o", str(target)], ["cremona", "-o", str(target), "--as-of", "ieri"]):
        with pytest.raises(SystemExit) as exit_info:
            call_command("report", *args)
        assert exit_info.value.code == 1
    assert "report:" in capsys.readouterr().err
