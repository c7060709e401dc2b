"""Public API reads are cacheable: Cache-Control, an ETag of the body, and 304 on a repeat request."""

from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag


class ApiCachingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
