import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from openmandato.importer.errors import ImportRejected
from openmandato.importer.spreadsheet import apply_spreadsheet, plan_spreadsheet, read_rows
from openmandato.programs.models import Mandate


class Command(BaseCommand):
    help = "Import an edited program spreadsheet (the CSV/XLSX export) back; --dry-run only reports."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the municipality")
        parser.add_argument("path", help="the edited export.csv or export.xlsx")
        parser.add_argument("--user", required=True, help="the staff member making the change (audit log)")
        parser.add_argument("--dry-run", action="store_true", help="report the changes, write nothing")

    def handle(self, *args, **options):
        mandate = Mandate.objects.current().filter(municipality__slug=options["slug"]).first()
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if mandate is None or user is None:
            self._fail(_("comune o utente sconosciuto"))
        path = Path(options["path"])
        try:
            plan = plan_spreadsheet(mandate, read_rows(path.read_bytes(), path.name), user=user)
        except (ImportRejected, OSError, UnicodeDecodeError) as error:
            self._fail(str(error))
        for change in plan.changes:
            self.stdout.write(change.describe())
        for error in plan.errors:
            self.stderr.write(error)
        if plan.errors:
            self._fail(_("%(n)d righe non valide: nessuna modifica applicata.") % {"n": len(plan.errors)})
        if not plan.changes:
            self.stdout.write(_("Nessuna modifica."))
            return
        if options["dry_run"]:
            self.stdout.write(
                _("%(n)d azioni cambierebbero (prova: nulla è stato scritto).") % {"n": len(plan.changes)}
            )
            return
        try:
            count = apply_spreadsheet(plan, user=user)
        except (ImportRejected, PermissionDenied, ValidationError) as error:
            message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self._fail(message or _("permesso negato"))
        self.stdout.write(_("%(n)d azioni aggiornate.") % {"n": count})

    def _fail(self, message: str):
        self.stderr.write(f"import_spreadsheet: {message}")
        sys.exit(1)
