from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "openmandato.portal"
    label = "portal"
    verbose_name = _("Portale pubblico")

    def ready(self):
        from django.db.models.signals import post_migrate

        from openmandato.portal import changes

        changes.connect()
        post_migrate.connect(_summarise_existing_data, sender=self)


def _summarise_existing_data(sender, using="default", **kwargs):
    """Upgrading a database that has comuni but no summaries yet: build them once."""
    from openmandato.portal import changes
    from openmandato.portal.models import MunicipalitySummary
    from openmandato.programs.models import Municipality

    if not MunicipalitySummary.objects.using(using).exists() and Municipality.objects.using(using).exists():
        changes.rebuild_all()
