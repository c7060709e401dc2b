from django.core.management.base import BaseCommand

from openmandato.portal import changes


class Command(BaseCommand):
    help = "Rebuild the home page's per-comune summary and bump every change marker (after a bulk load)."

    def handle(self, *args, **options):
        count = changes.rebuild_all()
        self.stdout.write(f"{count} comuni summarised; every page cache entry is now stale.")
