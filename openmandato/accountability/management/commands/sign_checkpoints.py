from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from openmandato.accountability import tlog
from openmandato.accountability.models import Checkpoint
from openmandato.programs.models import Mandate


class Command(BaseCommand):
    help = (
        "Sign a checkpoint for every mandate whose log grew since its last one (after the migration that "
        "created the tree, for instance) and, when TSA_URL is set, timestamp checkpoints that have no token."
    )

    def handle(self, *args, **options):
        for mandate_id in Mandate.objects.order_by("pk").values_list("pk", flat=True):
            with transaction.atomic():
                mandate = (
                    Mandate.objects.select_for_update().select_related("municipality").get(pk=mandate_id)
                )
                checkpoint = tlog.sign_checkpoint(mandate)
            if checkpoint:
                self.stdout.write(f"{checkpoint.origin} {checkpoint.tree_size} {checkpoint.root_hash}")
        if settings.TSA_URL:
            pending = Checkpoint.objects.filter(timestamp__isnull=True).order_by("pk")
            for checkpoint in pending.iterator():
                try:
                    tlog.timestamp(checkpoint)
                except tlog.TimestampError as exc:
                    self.stderr.write(str(exc))
                    raise SystemExit(1) from None
            self.stdout.write("timestamps ok")
