"""Moved to openmandato.core.permissions (and Action.objects.updatable_by); kept for old imports."""

from __future__ import annotations

from openmandato.core.permissions import (  # noqa: F401 - old import path, kept for other apps mid-flight
    administered_municipalities,
    can_administer,
    can_edit_program,
    can_see_staff_pages,
    can_update_action,
    is_superuser,
    managed_area_ids,
    program_municipalities,
    require,
    roles_in,
    staff_municipalities,
)
from openmandato.programs.models import Action


def updatable_actions(user):
    return Action.objects.updatable_by(user)
