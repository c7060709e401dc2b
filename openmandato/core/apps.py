from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom of the dependency graph: roles, permissions, audit, visibility helpers, admin base."""

    name = "openmandato.core"
    label = "core"
    verbose_name = _("Ruoli e registro delle modifiche")
