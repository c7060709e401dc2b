from django import template

from openmandato.citizens.services import is_following

register = template.Library()


@register.inclusion_tag("citizens/_follow_button.html", takes_context=True)
def follow_button(context, kind, target):
    """ "Segui" / "Non seguire più" for one action, section, area or comune (one query when signed in)."""
    request = context["request"]
    return {
        "kind": kind,
        "target": target,
        "following": is_following(request.user, kind, target),
        "signed_in": request.user.is_authenticated,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
