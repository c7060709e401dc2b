from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "openmandato.citizens"
    label = "citizens"
    verbose_name = _("Cittadini")

    def ready(self):
        from allauth.account.signals import user_signed_up

        from openmandato.citizens import services

        user_signed_up.connect(services.create_profile_on_signup, dispatch_uid="citizens-profile-on-signup")
