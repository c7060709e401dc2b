"""`openmandato check` warns when a level of assurance asks for SPID/CIE that the instance does not offer:
nobody could comment, support, propose, contest (or reach the back-office) until they are configured."""

from django.conf import settings
from django.core.checks import Warning, register

from openmandato.spid import conf


@register()
def levels_need_spid_or_cie(app_configs, **kwargs):
    if any(conf.enabled(method) for method in conf.METHODS):
        return []
    strict = sorted(action for action, level in settings.LEVEL_OF_ASSURANCE.items() if level != "email")
    if not strict:
        return []
    names = ", ".join(f"LOA_{action.upper()}" for action in strict)
    return [
        Warning(
            f"{names} ask for SPID/CIE, but neither is enabled "
            "(LOGIN_METHODS and SPID_PROVIDERS/CIE_PROVIDERS).",
            hint="Configure SPID/CIE (docs/spid-cie.md) or set these levels back to 'email'.",
            id="spid.W001",
        )
    ]
