from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Queue this week's reminder to staff of their actions not updated for STALE_AFTER_DAYS (weekly cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run in this process instead of queueing")

    def handle(self, now=False, **options):
        from openmandato.notifications import services, tasks

        if now:
            reminded = services.remind_stale_actions()
            sent = services.send_pending()
            self.stdout.write(f"{reminded} staff reminded, {sent} e-mails sent")
        else:
            tasks.remind_stale_actions.enqueue()
            self.stdout.write("stale-action reminders queued")
