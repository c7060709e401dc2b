from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "openmandato.ops"
    label = "ops"
    verbose_name = "Operations"
