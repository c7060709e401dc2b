from django import template

from openmandato.participation.display import display_name

register = template.Library()


@register.filter
def participant_name(user) -> str:
    return display_name(user)


@register.inclusion_tag("participation/_backoffice_links.html")
def participation_links(user):
    """Links to the participation back-office pages this user may open."""
    from openmandato.core.permissions import can_administer, staff_municipalities
    from openmandato.participation.permissions import (
        can_answer_proposals,
        can_moderate,
        participation_staff,
    )

    ids = list(staff_municipalities(user).values_list("pk", flat=True)[:50])
    return {
        "moderate": any(can_moderate(user, pk) for pk in ids),
        "contests": any(participation_staff(user, pk) for pk in ids),
        "proposals": any(can_answer_proposals(user, pk) for pk in ids),
        "residents": any(can_administer(user, pk) for pk in ids),
    }
