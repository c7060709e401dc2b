"""The last resort for an uncaught exception (Django's handler500): a database that cannot be reached
is a 503 with Retry-After (the service comes back by itself), odd input that slipped past the
middleware is a 400, and the API always answers JSON."""

from __future__ import annotations

import sys

from django.db import DataError, InterfaceError, OperationalError
from django.views.defaults import server_error as django_server_error

from openmandato.security.odd_input import nul_response, number_response
from openmandato.security.responses import error_response, is_api

RETRY_AFTER_SECONDS = 30


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable(request):
    return error_response(
        request,
        503,
        "the database is unreachable: retry later",
        italian="Servizio momentaneamente non disponibile. Riprova tra poco.",
        english="The service is temporarily unavailable. Please try again shortly.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def server_error(request, *args, **kwargs):
    exc = sys.exc_info()[1]
    if is_outage(exc):
        return unavailable(request)
    if isinstance(exc, OverflowError):
        return number_response(request)
    if isinstance(exc, DataError | ValueError) and "NUL" in str(exc):
        return nul_response(request)
    if is_api(request):
        return error_response(request, 500, "internal error", italian="", english="")
    return django_server_error(request, *args, **kwargs)
