"""Public pages: conditional GET and a shared page cache, both keyed on the change marker.

The ETag of a page is derived from its comune's change marker (or the global one for pages about
every comune), the language, the visitor, the host, the path and the htmx header; reading the marker
is one primary-key query (portal/models.py, kept by the writes in portal/changes.py). Anonymous
visitors are served from the shared cache (REDIS_URL, else the database cache) under that ETag: a
write bumps the marker, so the next visit misses and renders afresh; no explicit purge is needed and
a hit costs that one query. Pages that set cookies, carry a CSRF token or show one visitor's messages
are never stored.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.views.decorators.http import condition

from openmandato.portal.middleware import site_language
from openmandato.portal.models import GLOBAL, ChangeMarker, municipality_key
from openmandato.spid.conf import session_level

PAGE_CACHE_PREFIX = "page:"


def marker_key(kwargs) -> str:
    slug = kwargs.get("slug")
    return municipality_key(slug) if slug else GLOBAL


def _marker(request, key: str):
    memo = request.__dict__.setdefault("_om_markers", {})
    if key not in memo:
        memo[key] = read_marker(key)
    return memo[key]


def read_marker(key: str) -> tuple[int, object]:
    """(version, changed_at) of a change marker, (0, None) if none was written yet.

    The one query of a page served from the shared cache, so it is written once as SQL: building it
    through the ORM cost more than running it (half of a cache hit's time in the profile)."""
    alias = router.db_for_read(ChangeMarker)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(MARKER_SQL, [key])
        row = cursor.fetchone()
    if row is None:
        return 0, None
    version, changed = row
    convert = getattr(connection.ops, "convert_datetimefield_value", None)  # SQLite: text or naive
    return version, convert(changed, None, connection) if convert else changed


# portal_changemarker's columns, quoted the same way by SQLite and PostgreSQL
MARKER_SQL = 'SELECT "version", "changed_at" FROM "portal_changemarker" WHERE "key" = %s'


def last_change(request, *args, **kwargs):
    return _marker(request, marker_key(kwargs))[1]


def page_etag(request, *args, **kwargs):
    return _etag(request, kwargs)


def daily_page_etag(request, *args, **kwargs):
    """For a page that also depends on the day (the report prints "as of today")."""
    return _etag(request, kwargs, timezone.localdate().isoformat())


def _etag(request, kwargs, day: str = "") -> str:
    key = marker_key(kwargs)
    version, changed = _marker(request, key)
    parts = [
        key,
        str(version),
        changed.isoformat() if changed else "-",
        site_language(request),  # what SiteLanguageMiddleware activates; known before it runs
        _user_part(request),
        request.get_host(),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        day,
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _is_signed_in(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def shareable_request(request) -> bool:
    """Anonymous GETs without a session or pending messages: everyone asking gets the same page."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and settings.PAGE_CACHE_SECONDS > 0
    )


def _shareable_response(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
    )


def cacheable(view=None, *, daily: bool = False):
    """Conditional GET (304 on a repeat visit) and, for anonymous visitors, the shared page cache: the
    view marks the request with its ETag and SharedPageCacheMiddleware stores the finished response.
    `daily`: the page also changes with the day (its ETag includes the date; no Last-Modified)."""

    def decorate(view):
        etag_func = daily_page_etag if daily else page_etag
        conditional = condition(etag_func=etag_func, last_modified_func=None if daily else last_change)(view)

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if shareable_request(request):
                request._om_shared_etag = etag_func(request, *args, **kwargs)
            response = conditional(request, *args, **kwargs)
            if response.status_code not in (200, 304):
                # not the page itself (the report's "being prepared", a 429): no validator, or the
                # next visit would be told 304 and keep it
                response.headers.pop("ETag", None)
                response.headers.pop("Last-Modified", None)
            return response

        wrapper.shared_page = True
        wrapper.page_etag = etag_func
        wrapper.page_daily = daily
        return wrapper

    return decorate(view) if view is not None else decorate


class SharedPageCacheMiddleware:
    """Answers an anonymous visit to a page already in the shared cache before the session, language,
    CSRF, authentication and messages layers run (for such a visit they would change nothing), and
    stores a page rendered for an anonymous visitor once those layers have added their headers.

    It sits right after WhiteNoise: a hit costs the URL resolution, the change marker (one primary-key
    query) and one cache read. The key is the ETag the view computes (`page_etag`), the same before and
    after the view runs because the language comes from the same cookie SiteLanguageMiddleware reads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not shareable_request(request):
            return self.get_response(request)
        match = _cacheable_match(request.path_info)
        if match is not None:
            etag = match.func.page_etag(request, **match.kwargs)
            response = cache.get(PAGE_CACHE_PREFIX + etag)
            if response is not None:
                changed = None if match.func.page_daily else last_change(request, **match.kwargs)
                return get_conditional_response(
                    request,
                    etag=quote_etag(etag),
                    last_modified=int(changed.timestamp()) if changed else None,
                    response=response,
                )
        response = self.get_response(request)
        etag = getattr(request, "_om_shared_etag", None)
        if etag is not None and _shareable_response(request, response):
            # one piece of bytes: a feed is written in hundreds of small chunks, slow to (un)pickle
            response.content = response.content
            cache.set(PAGE_CACHE_PREFIX + etag, response, settings.PAGE_CACHE_SECONDS)
        return response


def _cacheable_match(path: str):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match if getattr(match.func, "shared_page", False) else None


def _user_part(request) -> str:
    """Signed-in visitors see their own follow buttons: a follow or unfollow changes their pages."""
    if not _is_signed_in(request):
        return "anon"
    from openmandato.citizens.models import Profile

    changed = Profile.objects.filter(user=request.user).values_list("changed_at", flat=True).first()
    # the level of the sign-in (SPID/CIE) decides which participation forms the page offers
    return f"{request.user.pk}:{changed.isoformat() if changed else '-'}:{session_level(request)}"
