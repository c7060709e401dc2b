"""Follow and unfollow through the API, with the user's own token (created in the personal area)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from openmandato.citizens import services
from openmandato.citizens.models import Follow


class UserToken(HttpBearer):
    def authenticate(self, request, token):
        from openmandato.api.api import TokenAuth  # imported late: api.api mounts this router

        return TokenAuth().authenticate(request, token)


class FollowOut(Schema):
    kind: str
    id: int
    title: str
    url: str


class ErrorOut(Schema):
    detail: str


router = Router(auth=UserToken(), tags=["follows"])
ERRORS = {401: ErrorOut, 404: ErrorOut}


def _row(item: Follow) -> dict:
    return {
        "kind": item.kind,
        "id": item.target_id,
        "title": services.target_label(item),
        "url": services.target_url(item),
    }


def _target(kind: str, target_id: int):
    try:
        return services.find_target(kind, target_id)
    except ValidationError as error:
        raise Http404 from error


@router.get("", response={200: list[FollowOut], 401: ErrorOut})
def list_follows(request):
    """What the token's user follows (at most 500, newest first)."""
    follows = Follow.objects.filter(user=request.user).select_related(
        "municipality",
        "section__mandate__municipality",
        "area__municipality",
        "action__mandate__municipality",
    )[:500]
    return [_row(item) for item in follows]


@router.put("/{kind}/{target_id}", response={200: FollowOut, 201: FollowOut, **ERRORS})
def follow(request, kind: str, target_id: int):
    """Follow a municipality, section, area or action (kind); following twice changes nothing (200)."""
    target = _target(kind, target_id)
    existed = services.is_following(request.user, kind, target)
    item = services.follow(request.user, kind, target)
    return Status(200 if existed else 201, _row(item))


@router.delete("/{kind}/{target_id}", response={204: None, **ERRORS})
def unfollow(request, kind: str, target_id: int):
    """Stop following; answers 204 also when it was not followed."""
    services.unfollow(request.user, kind, _target(kind, target_id))
    return Status(204, None)
