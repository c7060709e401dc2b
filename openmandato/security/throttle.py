"""Counters in the shared cache (Redis or the database): fixed windows, atomic increments, so every
worker process sees the same count. Used for the API rate limits, wrong passwords and bad tokens."""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache

from openmandato.security.responses import error_response

logger = logging.getLogger(__name__)


def hit(scope: str, ident: str, limit: int, period: int, *, count: bool = True) -> tuple[bool, int]:
    """Count one event for `ident` in the current window of `period` seconds; (allowed, wait)."""
    window = int(time.time()) // period
    key = f"rl:{scope}:{_digest(ident)}:{window}"
    wait = period - int(time.time()) % period
    if not count:
        return (cache.get(key, 0) < limit, wait)
    cache.add(key, 0, period + 1)
    try:
        value = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period + 1)
        value = 1
    return (value <= limit, wait)


def failures(scope: str, ident: str) -> int:
    return cache.get(f"fail:{scope}:{_digest(ident)}", 0)


def add_failure(scope: str, ident: str, lockout: int) -> int:
    key = f"fail:{scope}:{_digest(ident)}"
    cache.add(key, 0, lockout)
    try:
        value = cache.incr(key)
    except ValueError:
        cache.set(key, 1, lockout)
        value = 1
    cache.touch(key, lockout)  # the lock-out runs from the latest failure
    return value


def clear_failures(scope: str, ident: str) -> None:
    cache.delete(f"fail:{scope}:{_digest(ident)}")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# Logins: wrong passwords per (username, client address) lock that pair out for a while.

LOGIN_PATHS = ("/accounts/login/", "/admin/login/", "/area-personale/login/")
RESET_REQUEST_PATH = "/accounts/password-reset/"
SIGNUP_PATH = "/area-personale/signup/"
RESET_REQUESTS_PER_HOUR = 5  # per address and per e-mail: enough for a person, not for a mail flood


def _login_ident(request, username) -> str:
    return f"{(username or '').strip().lower()}|{request.META.get('REMOTE_ADDR', '')}"


def count_login_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        # Staff sign in with a username, citizens (allauth) with their e-mail address.
        username = credentials.get("username") or credentials.get("email")
        add_failure("login", _login_ident(request, username), settings.LOGIN_LOCKOUT_SECONDS)


def clear_login_failures(sender, request, user, **kwargs):
    if request is not None:
        clear_failures("login", _login_ident(request, user.get_username()))


def too_many(request, detail: str, italian: str, english: str, wait: int):
    logger.warning("throttled: %s %s from %s", request.method, request.path, request.META.get("REMOTE_ADDR"))
    return error_response(
        request, 429, detail, italian=italian, english=english, headers={"Retry-After": str(wait)}
    )


class FailureThrottleMiddleware:
    """Refuses a login for a locked (username, address) pair — even with the right password — and any
    API token from an address that sent too many bad ones, with 429 and Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in LOGIN_PATHS:
            ident = _login_ident(request, request.POST.get("username") or request.POST.get("login"))
            if failures("login", ident) >= settings.LOGIN_FAILURES_LIMIT:
                minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
                return too_many(
                    request,
                    "too many failed logins",
                    f"Troppi tentativi di accesso non riusciti: riprova tra {minutes} minuti.",
                    f"Too many failed sign-in attempts: try again in {minutes} minutes.",
                    settings.LOGIN_LOCKOUT_SECONDS,
                )
        if request.method == "POST" and request.path == RESET_REQUEST_PATH:
            address = request.META.get("REMOTE_ADDR", "")
            email = (request.POST.get("email") or "").strip().lower()
            by_address, wait = hit("pwreset-ip", address, RESET_REQUESTS_PER_HOUR, 3600)
            by_email, _wait = hit("pwreset-email", email, RESET_REQUESTS_PER_HOUR, 3600)
            if not (by_address and by_email):
                return too_many(
                    request,
                    "too many password reset requests",
                    "Troppe richieste di reimpostazione della password: riprova più tardi.",
                    "Too many password reset requests: try again later.",
                    wait,
                )
        if request.method == "POST" and request.path == SIGNUP_PATH:
            address = request.META.get("REMOTE_ADDR", "")
            email = (request.POST.get("email") or "").strip().lower()
            by_address, wait = hit("signup-ip", address, settings.SIGNUP_LIMIT_PER_IP, 3600)
            by_email, _wait = hit("signup-email", email, settings.SIGNUP_LIMIT_PER_EMAIL, 3600)
            if not (by_address and by_email):
                return too_many(
                    request,
                    "too many sign-ups",
                    "Troppe registrazioni da questo indirizzo: riprova più tardi.",
                    "Too many sign-ups from this address: try again later.",
                    wait,
                )
        token_ident = None
        if request.path.startswith("/api/") and "HTTP_AUTHORIZATION" in request.META:
            token_ident = request.META.get("REMOTE_ADDR", "")
            if failures("token", token_ident) >= settings.TOKEN_FAILURES_LIMIT:
                return too_many(
                    request,
                    "too many invalid tokens: retry later",
                    "Troppi token non validi.",
                    "Too many invalid tokens.",
                    settings.TOKEN_LOCKOUT_SECONDS,
                )
        response = self.get_response(request)
        if token_ident is not None and response.status_code == 401:
            add_failure("token", token_ident, settings.TOKEN_LOCKOUT_SECONDS)
        return response
