from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "openmandato.search"
    verbose_name = _("Ricerca e confronto")

    def ready(self):
        from openmandato.search import signals  # noqa: F401
