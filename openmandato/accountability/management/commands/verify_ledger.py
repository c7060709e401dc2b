import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from openmandato.accountability import ledger
from openmandato.programs.models import Mandate


class Command(BaseCommand):
    help = "Verify every mandate's hash chain; exit 1 naming the first entry that does not verify."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", metavar="SLUG", help="only this municipality")

    def handle(self, *args, **options):
        mandates = Mandate.objects.select_related("municipality").order_by("municipality__slug", "pk")
        if options["municipality"]:
            mandates = mandates.filter(municipality__slug=options["municipality"])
            if not mandates.exists():
                self.stderr.write(
                    _("verify_ledger: comune sconosciuto: %(slug)s") % {"slug": options["municipality"]}
                )
                sys.exit(2)
        failed = False
        for mandate in mandates:
            result = ledger.verify(mandate)
            values = {
                "municipality": mandate.municipality.slug,
                "mandate": mandate.title,
                "count": result.count,
                "head": result.head,
                "problem": result.problem,
            }
            if result.ok:
                self.stdout.write(
                    _("OK %(municipality)s «%(mandate)s»: %(count)d voci, impronta finale %(head)s") % values
                )
            else:
                failed = True
                self.stderr.write(_("MANOMESSO %(municipality)s «%(mandate)s»: la voce %(problem)s") % values)
        if failed:
            sys.exit(1)
