from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpidConfig(AppConfig):
    name = "openmandato.spid"
    label = "spid"
    verbose_name = _("SPID e CIE")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from openmandato.citizens.signals import personal_data_requested, user_deleted
        from openmandato.spid import checks, services  # noqa: F401 - checks registers itself

        user_deleted.connect(services.forget_user, dispatch_uid="spid-forget-user")
        personal_data_requested.connect(services.personal_data, dispatch_uid="spid-personal-data")
        user_logged_in.connect(services.forget_level, dispatch_uid="spid-forget-level")
