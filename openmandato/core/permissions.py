"""Who may write what, per municipality. Every service that writes asks here first."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from openmandato.core.models import Membership, Role, tenant_model


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


def can_edit_object(user, obj) -> bool:
    """can_edit_program for the municipality of a LoggedModel object (see core.tenancy.scoped_object)."""
    return can_edit_program(user, obj.audit_municipality_id())


def can_administer_object(user, obj) -> bool:
    return can_administer(user, obj.audit_municipality_id())


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


def can_update_action(user, action) -> bool:
    municipality_id = action.mandate.municipality_id
    if can_administer(user, municipality_id):
        return True
    areas = managed_area_ids(user, municipality_id)
    return bool(areas) and action.areas.filter(pk__in=areas).exists()


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Non hai i permessi per questa operazione in questo comune."))


def municipalities_where(user, roles=None) -> QuerySet:
    """The municipalities where the user holds one of `roles` (any role when None); all for superusers."""
    municipalities = tenant_model().objects
    if is_superuser(user):
        return municipalities.all()
    if not user or not user.is_authenticated:
        return municipalities.none()
    held = {"memberships__user": user} | ({"memberships__role__in": list(roles)} if roles else {})
    return municipalities.filter(**held).distinct()


def staff_municipalities(user) -> QuerySet:
    return municipalities_where(user)


def administered_municipalities(user) -> QuerySet:
    """Where this user may invite colleagues and manage staff."""
    return municipalities_where(user, [Role.ADMINISTRATOR])


def program_municipalities(user) -> QuerySet:
    """Where this user may edit the program: areas, assignments."""
    return municipalities_where(user, [Role.ADMINISTRATOR, Role.EDITOR])
