import argparse
import sys

from django.core.management.base import BaseCommand

from openmandato.accountability import verifier


class Command(BaseCommand):
    help = (
        "Verify a site's transparency log independently, with the same code as the standalone verifier.py. "
        "Exit 0 only when everything verifies."
    )

    def add_arguments(self, parser):
        verifier.add_arguments(parser)

    def handle(self, *args, **options):
        code = verifier.run(argparse.Namespace(**options), stdout=self.stdout, stderr=self.stderr)
        sys.exit(code)
