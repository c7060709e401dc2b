import sys

from django.core.management.base import BaseCommand

from openmandato.accountability import verifier


class Command(BaseCommand):
    help = (
        "Verify a site's transparency log independently, with the same code as the standalone verifier.py. "
        "Exit 0 only when everything verifies."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", help="the municipality's address, e.g. https://site.example/borgo/")
        parser.add_argument("--checkpoint", help="a checkpoint saved earlier with --save")
        parser.add_argument("--save", help="save the verified checkpoint to this file")
        parser.add_argument("--tsa-ca", help="PEM file of the trusted time-stamping authority certificates")
        parser.add_argument("--witness", action="append", default=[], help="a witness key to require")
        parser.add_argument("--no-files", action="store_true", help="skip downloading the evidence files")
        parser.add_argument("--monitor", action="store_true", help="poll and report the first inconsistency")
        parser.add_argument("--rounds", type=int, default=10)
        parser.add_argument("--interval", type=float, default=60.0)

    def handle(self, *args, **options):
        argv = [options["url"]]
        for name in ("checkpoint", "save", "tsa_ca"):
            if options[name]:
                argv += [f"--{name.replace('_', '-')}", options[name]]
        for witness in options["witness"]:
            argv += ["--witness", witness]
        if options["no_files"]:
            argv.append("--no-files")
        if options["monitor"]:
            argv += ["--monitor", "--rounds", str(options["rounds"]), "--interval", str(options["interval"])]
        code = verifier.main(argv, stdout=self.stdout, stderr=self.stderr)
        sys.exit(code)
