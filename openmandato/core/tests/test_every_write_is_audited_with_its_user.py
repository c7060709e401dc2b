"""Every write service leaves an audit entry naming its user and its municipality, the import included."""

import ast
from pathlib import Path

import pytest
from django.core.management import call_command

from openmandato.core.models import AuditEntry
from openmandato.importer.services import parse_import, record_edit, start_import
from openmandato.programs.models import Mandate, Municipality

PACKAGE = Path(__file__).resolve().parents[2]
# Modules holding write services besides each app's services.py.
SERVICE_MODULES = ["importer/revision.py", "importer/spreadsheet.py", "accountability/staff.py"]
OPERATIONS = {"demo", "backup"}
# A citizen's own account and subscriptions: personal data, not the comune's, so kept out of the log
# its staff reads (deleting an account must not leave its trail there).
PERSONAL = {
    "citizens.services.delete_account",
    "citizens.services.follow",
    "notifications.services.unsubscribe",
}
AUDIT_CALLS = {"log_action", "record_audit", "record"}


def service_modules():
    # Not user writes: the demo loader, and backup/restore (which carry the audit log itself).
    yield from sorted(path for path in PACKAGE.glob("*/services.py") if path.parent.name not in OPERATIONS)
    yield from (PACKAGE / name for name in SERVICE_MODULES)


def called_names(function: ast.FunctionDef) -> set[str]:
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def writes(function: ast.FunctionDef) -> bool:
    return any(
        isinstance(node, ast.With) and any("atomic" in ast.unparse(item.context_expr) for item in node.items)
        for node in ast.walk(function)
    )


def unaudited_writes() -> list[str]:
    functions = {}
    for path in service_modules():
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef):
                functions[f"{path.parent.name}.{path.stem}.{node.name}"] = node
    calls = {name: called_names(node) for name, node in functions.items()}
    audited = {name for name, names in calls.items() if names & AUDIT_CALLS}
    changed = True
    while changed:  # a service that calls an audited service is audited
        short = {name.rsplit(".", 1)[1] for name in audited}
        grown = {name for name, names in calls.items() if names & short} | audited
        changed, audited = grown != audited, grown
    return sorted(
        name
        for name, node in functions.items()
        if not node.name.startswith("_") and writes(node) and name not in audited | PERSONAL
    )


def test_every_write_service_writes_an_audit_entry():
    assert unaudited_writes() == []


@pytest.mark.django_db
def test_the_command_line_import_names_its_user_and_municipality(cremona_path):
    from openmandato.tests.fixtures import make_user

    clerk = make_user("clerk")
    call_command(
        "import_program", str(cremona_path), "--municipality", "Cremona", "--user", "clerk", verbosity=0
    )
    entry = AuditEntry.objects.get(verb="import")
    mandate = Mandate.objects.get()
    assert (entry.user, entry.municipality, entry.object_id) == (clerk, mandate.municipality, str(mandate.pk))


@pytest.mark.django_db
def test_the_command_line_import_refuses_an_unknown_user_and_writes_nothing(cremona_path, capsys):
    with pytest.raises(SystemExit):
        call_command("import_program", str(cremona_path), "--municipality", "Cremona", "--user", "nessuno")
    assert "nessuno" in capsys.readouterr().err
    assert not Municipality.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_uploading_and_editing_an_import_in_the_back_office_is_audited(world, cremona_path):
    editor = world.users["editor"]
    program_import = start_import(
        user=editor, municipality=world.municipality, filename="cremona.txt", data=cremona_path.read_bytes()
    )
    parse_import(program_import.pk)  # the worker's part
    record_edit(program_import, user=editor, edit={"op": "undo"})
    entries = list(AuditEntry.objects.filter(model="importer.programimport").order_by("pk"))
    assert [(e.verb, e.user, e.municipality) for e in entries] == [
        ("upload", editor, world.municipality),
        ("change", editor, world.municipality),
    ]
