from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImporterConfig(AppConfig):
    name = "openmandato.importer"
    label = "importer"
    verbose_name = _("Importazione programmi")
