"""Public API reads are cacheable: Cache-Control, an ETag of the body, and 304 on a repeat request.

Anonymous reads of the program data are also kept in the shared page cache, under a key made of the
change marker of the comune asked for (`?municipality=`, else the global marker), the language and the
full address: a write bumps the marker, so the next read renders afresh. A stored copy is served only
while the client's rate limit allows it, so the limit means the same with or without the cache.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

from openmandato.api.throttles import PerIpThrottle
from openmandato.portal.caching import PAGE_CACHE_PREFIX, page_etag, shareable_request

# Reads whose answer changes only when a comune's program or its updates change (see portal/changes.py).
SHARED_PATHS = ("/api/v1/actions", "/api/v1/updates", "/api/v1/municipalities", "/api/v1/mandates")


class ApiCachingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._shared(request):
            return self._respond(request)
        key = self._key(request)
        response = cache.get(key)
        if response is not None and self._within_rate_limit(request):
            return get_conditional_response(request, etag=response["ETag"], response=response)
        response = self._respond(request)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

    def _respond(self, request):
        response = self.get_response(request)
        public_read = (
            request.path.startswith("/api/v1/")
            and request.method in ("GET", "HEAD")
            and "HTTP_AUTHORIZATION" not in request.META
            and response.status_code == 200
            and not response.streaming
        )
        if not public_read:
            return response
        patch_cache_control(response, public=True, max_age=60)
        set_response_etag(response)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    @staticmethod
    def _shared(request) -> bool:
        return (
            request.path in SHARED_PATHS
            and "HTTP_AUTHORIZATION" not in request.META
            and shareable_request(request)
        )

    @staticmethod
    def _key(request) -> str:
        """The page cache's own ETag (marker, language, host, address) with the comune asked for."""
        slug = request.GET.get("municipality", "")
        return PAGE_CACHE_PREFIX + "api:" + page_etag(request, **({"slug": slug} if slug else {}))

    @staticmethod
    def _within_rate_limit(request) -> bool:
        return PerIpThrottle().allow_request(request)
