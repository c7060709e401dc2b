"""Rate limits read from settings at each request (so they can be configured and tested), counted in
the shared cache with atomic increments so that every worker process sees the same count."""

from django.conf import settings
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from openmandato.security.throttle import hit


class _FromSettings:
    setting: str

    def __init__(self):
        super().__init__(getattr(settings, self.setting))

    def allow_request(self, request):
        rate = getattr(settings, self.setting)
        if rate != self.rate:
            self.rate = rate
            self.num_requests, self.duration = self.parse_rate(rate)
        key = self.get_cache_key(request)
        if key is None:
            return True
        allowed, self._wait = hit(self.setting, key, self.num_requests, int(self.duration))
        return allowed

    def wait(self):
        return getattr(self, "_wait", None)


class PerIpThrottle(_FromSettings, AnonRateThrottle):
    """Anonymous reads, counted per client IP address (see security/clientip.py for proxies)."""

    setting = "API_RATE_ANON"


class PerTokenThrottle(_FromSettings, AuthRateThrottle):
    """Requests with a token, counted per token (anonymous requests are left to PerIpThrottle)."""

    setting = "API_RATE_TOKEN"

    def get_cache_key(self, request):
        if getattr(request, "auth", None) is None:
            return None
        return super().get_cache_key(request)
