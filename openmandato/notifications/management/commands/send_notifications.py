from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Queue the sending of pending notification e-mails and mark those stuck in a dead worker as failed "
        "(every few minutes from cron: it recovers what a stopped worker left)."
    )

    def handle(self, **options):
        from openmandato.notifications import tasks

        tasks.sweep_notifications.enqueue()
        self.stdout.write("notification sweep queued")
