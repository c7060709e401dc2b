from django.core.management.base import BaseCommand

from openmandato.search.similarity import refresh_all
from openmandato.search.vocabulary import rebuild_vocabulary


class Command(BaseCommand):
    help = "Rebuild the search vocabulary and every action's similar actions (after a bulk load)."

    def handle(self, *args, **options):
        words = rebuild_vocabulary()
        pairs = refresh_all()
        self.stdout.write(f"{words} words, {pairs} similar pairs")
