from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    """Backup and restore of the whole instance or one comune: the top of the dependency graph, since it
    reads every app's rows."""

    name = "openmandato.backup"
    label = "backup"
    verbose_name = _("Backup e ripristino")
