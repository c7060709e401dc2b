from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from openmandato.spid.keys import generate_keys


class Command(BaseCommand):
    help = "Create the SPID/CIE Relying Party keys in SPID_KEYS_DIR (kept outside the repository)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.SPID_KEYS_DIR))
        parser.add_argument("--rotate", action="store_true", help="replace existing keys (old ones: *.old)")

    def handle(self, *args, dir, rotate, **options):
        written = generate_keys(Path(dir), rotate=rotate)
        for path in written:
            self.stdout.write(f"wrote {path}")
        if not written:
            self.stdout.write(f"keys already present in {dir} (use --rotate to replace them)")
