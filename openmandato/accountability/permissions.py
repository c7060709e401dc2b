"""Who may write what, per municipality. Every service that writes asks here first."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from openmandato.accountability.models import Membership, Role
from openmandato.programs.models import Action, Area, Municipality


def _memberships(user, municipality_id: int) -> list[Membership]:
    if not user or not user.is_authenticated or not user.is_active:
        return []
    cache = getattr(user, "_membership_cache", None)
    if cache is None:
        cache = user._membership_cache = {}
    if municipality_id not in cache:
        cache[municipality_id] = list(
            Membership.objects.filter(user=user, municipality_id=municipality_id).prefetch_related("areas")
        )
    return cache[municipality_id]


def is_superuser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def roles_in(user, municipality_id: int) -> set[str]:
    return {membership.role for membership in _memberships(user, municipality_id)}


def can_administer(user, municipality_id: int) -> bool:
    return is_superuser(user) or Role.ADMINISTRATOR in roles_in(user, municipality_id)


def can_edit_program(user, municipality_id: int) -> bool:
    return is_superuser(user) or bool(roles_in(user, municipality_id) & {Role.ADMINISTRATOR, Role.EDITOR})


def can_see_staff_pages(user, municipality_id: int) -> bool:
    """Staff of this municipality (any role) may see its drafts and its audit log."""
    return is_superuser(user) or bool(roles_in(user, municipality_id))


def managed_area_ids(user, municipality_id: int) -> set[int]:
    return {
        area.pk
        for membership in _memberships(user, municipality_id)
        if membership.role == Role.AREA_MANAGER
        for area in membership.areas.all()
        if area.municipality_id == municipality_id
    }


def can_update_action(user, action: Action) -> bool:
    municipality_id = action.mandate.municipality_id
    if can_administer(user, municipality_id):
        return True
    areas = managed_area_ids(user, municipality_id)
    return bool(areas) and action.areas.filter(pk__in=areas).exists()


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Non hai i permessi per questa operazione in questo comune."))


def staff_municipalities(user) -> QuerySet[Municipality]:
    if is_superuser(user):
        return Municipality.objects.all()
    if not user or not user.is_authenticated:
        return Municipality.objects.none()
    return Municipality.objects.filter(memberships__user=user).distinct()


def updatable_actions(user) -> QuerySet[Action]:
    """The actions a user may post updates on, across their municipalities."""
    actions = Action.objects.active().leaves()
    if is_superuser(user):
        return actions
    if not user or not user.is_authenticated:
        return actions.none()
    memberships = Membership.objects.filter(user=user)
    admin_of = memberships.filter(role=Role.ADMINISTRATOR).values("municipality_id")
    managed = Area.objects.filter(
        membership__user=user,
        membership__role=Role.AREA_MANAGER,
        municipality_id=F("membership__municipality_id"),
    ).values("pk")
    return actions.filter(Q(mandate__municipality_id__in=admin_of) | Q(areas__in=managed)).distinct()


def administered_municipalities(user) -> QuerySet[Municipality]:
    """Where this user may invite colleagues and manage staff."""
    if is_superuser(user):
        return Municipality.objects.all()
    if not user or not user.is_authenticated:
        return Municipality.objects.none()
    return Municipality.objects.filter(
        memberships__user=user, memberships__role=Role.ADMINISTRATOR
    ).distinct()


def program_municipalities(user) -> QuerySet[Municipality]:
    """Where this user may edit the program: areas, assignments."""
    if is_superuser(user):
        return Municipality.objects.all()
    if not user or not user.is_authenticated:
        return Municipality.objects.none()
    return Municipality.objects.filter(
        memberships__user=user, memberships__role__in=[Role.ADMINISTRATOR, Role.EDITOR]
    ).distinct()
