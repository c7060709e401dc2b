import sys

from django.core.management.base import BaseCommand

from openmandato.backup.services import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup folder (whole instance or one municipality); checks ledgers and evidence first."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--replace", action="store_true", help="overwrite municipalities already here")

    def handle(self, folder, replace=False, **options):
        try:
            summary = restore(folder, replace=replace)
        except (BackupError, OSError) as error:
            self.stderr.write(f"restore: {error}")
            sys.exit(1)
        self.stdout.write(
            f"Restored {summary.rows} rows, {summary.files} evidence files; "
            f"{summary.mandates} mandates, every ledger verified."
        )
