import json
import sys

from django.core.management.base import BaseCommand

from openmandato.accountability import verifier


class Command(BaseCommand):
    help = (
        "Act as a witness of another site's transparency log: check that its latest checkpoint is signed "
        "by the key seen before and consistent with the last one this witness cosigned, then post a "
        "C2SP cosignature/v1. Keeps its state (last cosigned checkpoint) in --state. "
        "With --print-key only prints this witness's verifier key (to give to the site's TLOG_WITNESSES)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "url", nargs="?", help="the municipality's address, e.g. https://site.example/borgo/"
        )
        parser.add_argument(
            "--key", required=True, help="the witness's Ed25519 key (PEM), created if missing"
        )
        parser.add_argument("--name", required=True, help="the witness's name, e.g. giornale.example/witness")
        parser.add_argument("--state", help="file keeping the last checkpoint cosigned")
        parser.add_argument(
            "--print-key", action="store_true", help="print the witness verifier key and exit"
        )

    def handle(self, *args, **options):
        try:
            key = verifier.load_witness_key(options["key"], generate=True)
        except (OSError, ValueError, verifier.VerificationError) as exc:
            self.stderr.write(f"witness: {exc}")
            sys.exit(2)
        vkey = verifier.verifier_key(options["name"], verifier.public_bytes(key), verifier.ALG_COSIGNATURE_V1)
        if options["print_key"]:
            self.stdout.write(vkey)
            return
        if not options["url"] or not options["state"]:
            self.stderr.write("witness: give the site URL and --state FILE")
            sys.exit(2)
        try:
            with open(options["state"], encoding="utf-8") as handle:
                state = json.load(handle)
        except FileNotFoundError:
            state = None
        except (OSError, ValueError) as exc:
            self.stderr.write(f"witness: {options['state']}: {exc}")
            sys.exit(2)
        try:
            state, line = verifier.witness(options["url"], key, options["name"], state)
        except (verifier.VerificationError, KeyError, TypeError, ValueError) as exc:
            self.stderr.write(f"witness: {exc}")
            sys.exit(1)
        with open(options["state"], "w", encoding="utf-8") as handle:
            json.dump(state, handle, ensure_ascii=False, indent=1)
        self.stdout.write(f"cosigned {verifier.Checkpoint.parse(state['note']).size}: {line.strip()}")
