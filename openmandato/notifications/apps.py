from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "openmandato.notifications"
    label = "notifications"
    verbose_name = _("Notifiche")

    def ready(self):
        from openmandato.notifications import receivers

        receivers.connect()
