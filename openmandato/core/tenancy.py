"""The tenant, resolved once per request (pretix's control middleware): `<slug>` becomes
`request.municipality` and `request.mandate`, or a 404 when the comune is unknown or not visible to this
visitor. Views and services then receive the tenant; they never look it up again.

Visibility is the models' query vocabulary (`Municipality.objects.visible_to(user)`,
`municipality.mandates.visible_to(user)`); the core finds the tenant model through its relations.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from openmandato.core.models import tenant_model


def resolve_tenant(request, slug: str, *, mandate_required: bool = True) -> None:
    """Set request.municipality and request.mandate (the current mandate, if this visitor may see it)."""
    municipality = tenant_model().objects.visible_to(request.user).filter(slug=slug).first()
    if municipality is None:
        raise Http404
    mandate = municipality.mandates.visible_to(request.user).current().first()
    if mandate_required and mandate is None:
        raise Http404
    request.municipality, request.mandate = municipality, mandate


def tenant_view(view=None, *, mandate_required: bool = True):
    """Decorate a view whose URL starts with `<slug:slug>` (the slug is still passed on)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            resolve_tenant(request, slug, mandate_required=mandate_required)
            return view(request, slug, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def scoped_object(request, queryset, allowed, **lookup):
    """Back-office views reach the tenant through the object their URL names: 404 when it does not
    exist, PermissionDenied unless `allowed(user, obj)`; then request.municipality is the object's."""
    obj = get_object_or_404(queryset, **lookup)
    if not allowed(request.user, obj):
        raise PermissionDenied
    request.municipality = obj.tenant()
    return obj
