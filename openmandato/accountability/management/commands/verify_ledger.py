import json
import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from openmandato.accountability import ledger, verifier
from openmandato.programs.models import Mandate


class Command(BaseCommand):
    help = (
        "Verify every mandate's transparency log: the entries against their rows, the Merkle tree against "
        "the signed checkpoints (and an optional checkpoint saved earlier), the actions' status/progress "
        "against a replay of the log, and the evidence files on disk against their SHA-256. Exit 1 naming "
        "the first bad entry or the inconsistency."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", metavar="SLUG", help="only this municipality")
        parser.add_argument(
            "--checkpoint", metavar="FILE", help="a checkpoint saved earlier (verify_remote --save)"
        )
        parser.add_argument("--no-files", action="store_true", help="do not hash the evidence files")

    def handle(self, *args, **options):
        mandates = Mandate.objects.select_related("municipality").order_by("municipality__slug", "pk")
        if options["municipality"]:
            mandates = mandates.filter(municipality__slug=options["municipality"])
            if not mandates.exists():
                self.stderr.write(
                    _("verify_ledger: comune sconosciuto: %(slug)s") % {"slug": options["municipality"]}
                )
                sys.exit(2)
        saved = None
        if options["checkpoint"]:
            try:
                with open(options["checkpoint"], encoding="utf-8") as handle:
                    saved = json.load(handle)
                saved_origin = verifier.Checkpoint.parse(saved["note"]).origin
            except (OSError, ValueError, KeyError, TypeError, verifier.VerificationError) as exc:
                self.stderr.write(f"verify_ledger: {options['checkpoint']}: {exc}")
                sys.exit(2)
        failed = False
        for mandate in mandates:
            applies = saved and saved_origin.endswith(f"/{mandate.pk}")
            result = ledger.verify(mandate, saved if applies else None, check_files=not options["no_files"])
            values = {
                "municipality": mandate.municipality.slug,
                "mandate": mandate.title,
                "count": result.count,
                "head": result.root,
            }
            if result.ok:
                self.stdout.write(
                    _("OK %(municipality)s «%(mandate)s»: %(count)d voci, impronta finale %(head)s") % values
                )
            else:
                failed = True
                for problem in result.problems:
                    self.stderr.write(
                        _("MANOMESSO %(municipality)s «%(mandate)s»: %(problem)s")
                        % {**values, "problem": problem}
                    )
        if failed:
            sys.exit(1)
