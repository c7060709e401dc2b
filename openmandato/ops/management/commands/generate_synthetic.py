import time

from django.core.management.base import BaseCommand, CommandError

from openmandato.ops import synthetic


class Command(BaseCommand):
    help = (
        "Generate a synthetic national data set (Italian-looking comuni, programs, update histories with "
        "valid transparency logs, indicators) in bulk, for benchmarks. Adds to what is in the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, required=True)
        parser.add_argument("--actions-per-mandate", type=int, required=True)
        parser.add_argument("--updates-per-action", type=int, default=2)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch-size", type=int, default=50, help="comuni per transaction")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        limits = {
            "--municipalities": (options["municipalities"], 1, 20_000),
            "--actions-per-mandate": (options["actions_per_mandate"], 1, 20_000),
            "--updates-per-action": (options["updates_per_action"], 0, 50),
            "--batch-size": (options["batch_size"], 1, 10_000),
        }
        for flag, (value, low, high) in limits.items():
            if not low <= value <= high:
                raise CommandError(f"{flag} must be between {low} and {high}, got {value}")
        started = time.monotonic()
        totals = synthetic.generate(
            options["municipalities"],
            options["actions_per_mandate"],
            options["updates_per_action"],
            options["seed"],
            batch_size=options["batch_size"],
            progress=None if options["quiet"] else synthetic.text_progress(self.stderr._out),
        )
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"{totals['municipalities']} comuni, {totals['actions']} azioni, "
            f"{totals['updates']} aggiornamenti, "
            f"{totals['measurements']} misurazioni, {totals['entries']} voci di registro in {elapsed:.1f} s"
        )
