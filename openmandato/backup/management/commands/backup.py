import sys

from django.core.management.base import BaseCommand

from openmandato.backup.services import BackupError, backup
from openmandato.programs.models import Municipality


class Command(BaseCommand):
    help = "Back up the whole instance (or one municipality) into an empty folder: rows and evidence files."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--municipality", metavar="SLUG")

    def handle(self, folder, municipality=None, **options):
        try:
            target = Municipality.objects.get(slug=municipality) if municipality else None
        except Municipality.DoesNotExist:
            self.stderr.write(f"backup: no municipality {municipality!r}")
            sys.exit(1)
        try:
            summary = backup(folder, target)
        except (BackupError, OSError) as error:
            self.stderr.write(f"backup: {error}")
            sys.exit(1)
        self.stdout.write(f"Backup in {folder}: {summary.rows} rows, {summary.files} evidence files.")
