"""A spreadsheet row that changes status or progress needs the right to report progress on it."""

import csv
import io

from django.test import Client

from openmandato.importer.spreadsheet import plan_spreadsheet


def test_spreadsheet_status_changes_need_the_right_to_report_progress(world):
    rows = list(csv.DictReader(io.StringIO(Client().get("/borgo/export.csv").content.decode("utf-8-sig"))))
    rows[0].update(status="in_progress", progress="10")
    plan = plan_spreadsheet(world.mandate, rows, user=world.users["editor"])
    assert plan.errors and "non puoi registrare" in plan.errors[0]
    allowed = plan_spreadsheet(world.mandate, rows, user=world.users["admin"])
    assert not allowed.errors and len(allowed.changes) == 1
