from django.core.management.base import BaseCommand

from openmandato.accountability import tlog


class Command(BaseCommand):
    help = (
        "Print the verifier key (C2SP note format) of the instance's checkpoint key, generating the Ed25519 "
        "key into TLOG_KEY_FILE if it does not exist yet."
    )

    def handle(self, *args, **options):
        self.stdout.write(tlog.verifier_key())
        self.stderr.write(f"private key: {tlog.key_path()}")
