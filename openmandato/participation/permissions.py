"""Who may moderate and answer, per municipality, built on the roles' public predicates."""

from __future__ import annotations

from openmandato.core.models import Role
from openmandato.core.permissions import (
    can_administer,
    can_edit_program,
    can_update_action,
    is_superuser,
    roles_in,
)


def can_moderate(user, municipality_id: int) -> bool:
    """Moderators and administrators of this comune hide and restore comments."""
    return can_administer(user, municipality_id) or Role.MODERATOR in roles_in(user, municipality_id)


def can_answer_officially(user, action) -> bool:
    """Staff responsible for the action (its area's managers, the comune's administrators)."""
    return can_update_action(user, action)


def can_answer_proposals(user, municipality_id: int) -> bool:
    return can_edit_program(user, municipality_id)


def can_answer_contest(user, contest) -> bool:
    return can_update_action(user, contest.update.action)


def participation_staff(user, municipality_id: int) -> bool:
    """Sees the participation back-office of this comune (any of the roles above)."""
    return is_superuser(user) or bool(
        roles_in(user, municipality_id) & {Role.ADMINISTRATOR, Role.MODERATOR, Role.EDITOR, Role.AREA_MANAGER}
    )
