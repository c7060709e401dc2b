from django import template
from django.conf import settings

from openmandato.spid import conf, services

register = template.Library()


@register.inclusion_tag("spid/buttons.html")
def spid_buttons(next_url=""):
    """AgID's "Entra con SPID" (with the providers' list) and "Entra con CIE" buttons; `next_url` is where
    a successful sign-in lands (checked again by the view)."""
    return {
        "spid": conf.providers("spid").items() if conf.enabled("spid") else [],
        "cie": conf.providers("cie").items() if conf.enabled("cie") else [],
        "next": next_url or "",
    }


@register.simple_tag
def email_login_enabled():
    return "email" in settings.LOGIN_METHODS


@register.inclusion_tag("spid/_resident_badge.html")
def resident_badge(user_id, residents):
    """`residents` from services.resident_ids(municipality, users on the page)."""
    return {"show": bool(residents) and user_id in residents}


@register.simple_tag(takes_context=True)
def participation_refusal(context, action, municipality=None):
    """None when the signed-in visitor may do `action` here, else a services.Refusal (message, sign_in)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return services.refusal(request, action, municipality)


@register.inclusion_tag("spid/_stronger_sign_in.html", takes_context=True)
def stronger_sign_in(context, refusal, next_url=""):
    """The refusal's one line and, when SPID/CIE would help, the "Entra con SPID/CIE" link that brings the
    person back to `next_url` (default: this page)."""
    request = context.get("request")
    here = next_url or (request.get_full_path() if request is not None else "")
    return {"refusal": refusal, "next": here}
