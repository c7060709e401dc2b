from django import template
from django.conf import settings

from openmandato.spid import conf

register = template.Library()


@register.inclusion_tag("spid/buttons.html")
def spid_buttons():
    return {
        "spid": conf.providers("spid").items() if conf.enabled("spid") else [],
        "cie": conf.providers("cie").items() if conf.enabled("cie") else [],
    }


@register.simple_tag
def email_login_enabled():
    return "email" in settings.LOGIN_METHODS


@register.inclusion_tag("spid/_resident_badge.html")
def resident_badge(user_id, residents):
    """`residents` from services.resident_ids(municipality, users on the page)."""
    return {"show": user_id in residents}
