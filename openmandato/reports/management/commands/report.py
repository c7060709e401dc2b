import datetime
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from openmandato.programs.models import Mandate
from openmandato.reports.pdf import render_report


class Command(BaseCommand):
    help = "Print the mandate report of a municipality to PDF (today's state, or as of a date)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the municipality")
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
        parser.add_argument("--as-of", help="the date of the report (YYYY-MM-DD), default today")

    def handle(self, *args, **options):
        mandate = Mandate.objects.current().filter(municipality__slug=options["slug"]).first()
        if mandate is None:
            self.stderr.write(_("report: nessun mandato in corso per «%(slug)s»") % {"slug": options["slug"]})
            sys.exit(1)
        as_of = None
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError:
                self.stderr.write(_("report: data non valida: %(date)s") % {"date": options["as_of"]})
                sys.exit(1)
        output = Path(options["output"])
        try:
            output.write_bytes(render_report(mandate, as_of=as_of))
        except OSError as error:
            self.stderr.write(
                _("report: impossibile scrivere %(path)s: %(error)s")
                % {"path": output, "error": error.strerror}
            )
            sys.exit(1)
        self.stdout.write(_("Relazione scritta in %(path)s") % {"path": output})
