from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from openmandato.demo.services import ensure_demo_staff, load_demo_programs


class Command(BaseCommand):
    help = "Load the two sample programs with an invented, clearly-labelled progress history (idempotent)."

    def handle(self, *args, **options):
        for outcome in load_demo_programs():
            mandate = outcome.mandate
            if outcome.created:
                line = _("Importato «%(title)s» di %(municipality)s: %(actions)d azioni.")
            else:
                line = _("Già presente: «%(title)s» di %(municipality)s (%(actions)d azioni).")
            self.stdout.write(
                line
                % {"title": mandate.title, "municipality": mandate.municipality, "actions": outcome.actions}
            )
        username, password = ensure_demo_staff()
        self.stdout.write(
            _(
                "Accesso staff dimostrativo: utente «%(user)s», password «%(password)s» "
                "(area riservata /backoffice/, amministrazione /admin/)"
            )
            % {"user": username, "password": password}
        )
