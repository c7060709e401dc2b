import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client

from openmandato.accountability.models import ProgressUpdate
from openmandato.core.models import AuditEntry
from openmandato.programs.models import Action
from openmandato.tests.fixtures import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(valenza_path):
    call_command("import_program", str(valenza_path), verbosity=0)
    from openmandato.core.models import Membership
    from openmandato.programs.models import Municipality

    user = make_user("admin-valenza")
    Membership.objects.create(user=user, municipality=Municipality.objects.get(), role="administrator")
    return user


def export(fmt: str) -> bytes:
    return Client().get(f"/valenza/export.{fmt}").content


def run(path, *args):
    return call_command("import_spreadsheet", "valenza", str(path), "--user", "admin-valenza", *args)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_unchanged_export_imports_as_no_change(program, tmp_path, fmt, capsys):
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(export(fmt))
    run(path)
    assert "Nessuna modifica." in capsys.readouterr().out
    assert AuditEntry.objects.filter(verb="spreadsheet").count() == 0


def edited_csv(mutate) -> bytes:
    rows = list(csv.DictReader(io.StringIO(export("csv").decode("utf-8-sig"))))
    mutate(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_edits_are_reported_by_a_dry_run_then_applied(program, tmp_path, capsys):
    def mutate(rows):
        rows[0].update(
            weight="2", budget="150000", due_date="2025-06-30", areas="Ufficio ambiente; Ufficio tributi"
        )
        rows[1].update(status="in_progress", progress="40")

    path = tmp_path / "edited.csv"
    path.write_bytes(edited_csv(mutate))
    run(path, "--dry-run")
    out = capsys.readouterr().out
    assert "riga 2" in out and "weight: 1.00 → 2.00" in out and "riga 3" in out
    assert "2 azioni cambierebbero" in out
    first = Action.objects.order_by("section__path", "pk").first()
    assert first.budget is None and ProgressUpdate.objects.count() == 0
    run(path)
    first.refresh_from_db()
    assert (str(first.weight), str(first.budget), str(first.due_date)) == ("2.00", "150000.00", "2025-06-30")
    assert sorted(a.name for a in first.areas.all()) == ["Ufficio ambiente", "Ufficio tributi"]
    assert ProgressUpdate.objects.get().progress == 40
    assert AuditEntry.objects.filter(verb="spreadsheet").count() == 2


def test_a_bad_row_stops_everything_with_clear_messages(program, tmp_path, capsys):
    def mutate(rows):
        rows[0]["weight"] = "2"
        rows[3]["due_date"] = "31/12/2025"
        rows[4]["status"] = "done"

    path = tmp_path / "bad.csv"
    path.write_bytes(edited_csv(mutate))
    with pytest.raises(SystemExit):
        run(path)
    err = capsys.readouterr().err
    assert "riga 5: data non valida «31/12/2025»" in err
    assert "riga 6: per «Realizzata» serve una fonte" in err
    assert str(Action.objects.order_by("section__path", "pk").first().weight) == "1.00"


def test_xlsx_edits_round_trip(program, tmp_path):
    workbook = openpyxl.load_workbook(io.BytesIO(export("xlsx")))
    sheet = workbook["azioni"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("title") + 1, value="Tariffa puntuale dei rifiuti")
    path = tmp_path / "edited.xlsx"
    workbook.save(path)
    run(path)
    assert Action.objects.filter(title="Tariffa puntuale dei rifiuti").count() == 1
