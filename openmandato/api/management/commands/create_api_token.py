import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from openmandato.api.models import ApiToken


class Command(BaseCommand):
    help = "Issue an API token for a user and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="api", help="what the token is for")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            self.stderr.write(
                _("create_api_token: utente sconosciuto: %(user)s") % {"user": options["username"]}
            )
            sys.exit(1)
        _token, secret = ApiToken.issue(user, options["name"])
        self.stdout.write(secret)
