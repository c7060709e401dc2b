from django.core.management.base import BaseCommand

from openmandato.citizens.models import EmailFrequency


class Command(BaseCommand):
    help = "Queue the daily or weekly digest e-mails (run it from cron: daily at 7:00, weekly on Monday)."

    def add_arguments(self, parser):
        parser.add_argument("frequency", choices=[EmailFrequency.DAILY, EmailFrequency.WEEKLY])
        parser.add_argument("--now", action="store_true", help="send in this process instead of queueing")

    def handle(self, frequency, now=False, **options):
        from openmandato.notifications import services, tasks

        if now:
            self.stdout.write(f"{services.send_digests(frequency)} digest e-mails sent")
        else:
            tasks.send_digests.enqueue(frequency)
            self.stdout.write(f"{frequency} digests queued")
