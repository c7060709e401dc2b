from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _recompute_after_change(sender, instance, **kwargs):
    from openmandato.programs import rollup

    if kwargs.get("raw") or rollup.is_deferred():
        return
    rollup.recompute_shares(instance.mandate_id)


class ProgramsConfig(AppConfig):
    name = "openmandato.programs"
    label = "programs"
    verbose_name = _("Programmi di mandato")

    def ready(self):
        from openmandato.programs.models import Action, Section

        # The roll-up's fields (paths, shares, program order) follow every change of the tree.
        for model in (Section, Action):
            post_save.connect(
                _recompute_after_change, sender=model, dispatch_uid=f"rollup-save-{model.__name__}"
            )
            post_delete.connect(
                _recompute_after_change, sender=model, dispatch_uid=f"rollup-del-{model.__name__}"
            )
