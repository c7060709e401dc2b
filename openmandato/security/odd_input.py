"""Input no view should ever see: oversized bodies (refused on Content-Length, before anything reads
them), NUL bytes (PostgreSQL refuses them in text) and ids beyond 64 bits (SQLite overflows). Each is
a 400/413 with one clear line instead of a 500."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl

from django.conf import settings

from openmandato.security.responses import bad_request, error_response, is_api

MAX_ID = 2**63 - 1
DIGITS = re.compile(r"^[0-9]+$")
FREE_TEXT_PARAMS = {"q"}


def _too_big(value: str) -> bool:
    return bool(DIGITS.match(value)) and int(value) > MAX_ID


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _has_huge_int(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) > MAX_ID
    if isinstance(value, dict):
        return any(_has_huge_int(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_huge_int(v) for v in value)
    return False


def nul_response(request):
    return bad_request(
        request,
        "NUL characters are not allowed in the request",
        "La richiesta contiene caratteri non ammessi (NUL).",
        "The request contains characters that are not allowed (NUL).",
    )


def number_response(request):
    return bad_request(
        request,
        "an identifier is out of range (at most 9223372036854775807)",
        "Un identificativo nella richiesta è fuori intervallo.",
        "An identifier in the request is out of range.",
    )


class OddInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(length)
        except ValueError:
            length = -1
        if length < 0:
            return bad_request(
                request,
                "invalid Content-Length",
                "La richiesta ha una lunghezza non valida.",
                "The request has an invalid length.",
            )
        if length > settings.REQUEST_MAX_BYTES:
            megabytes = max(1, round(settings.REQUEST_MAX_BYTES / 2**20))
            return error_response(
                request,
                413,
                f"request body too large (at most {megabytes} MB)",
                italian=f"La richiesta supera il limite di {megabytes} MB.",
                english=f"The request is larger than {megabytes} MB.",
            )
        path = request.path_info
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in path or "%00" in query or "\x00" in query:
            return nul_response(request)
        if any(_too_big(part) for part in path.split("/")):
            return number_response(request)
        pairs = parse_qsl(query, keep_blank_values=True)
        if any("\x00" in key or "\x00" in value for key, value in pairs):
            return nul_response(request)
        if any(_too_big(value) for key, value in pairs if key not in FREE_TEXT_PARAMS):
            return number_response(request)
        if is_api(request) and length and "json" in request.META.get("CONTENT_TYPE", ""):
            body = request.body  # bounded by the Content-Length check above
            try:
                payload = json.loads(body)
            except ValueError:
                payload = None  # the API answers malformed JSON itself
            if b"\x00" in body or _has_nul(payload):
                return nul_response(request)
            if _has_huge_int(payload):
                return number_response(request)
        return self.get_response(request)


class ApiJsonErrorsMiddleware:
    """Under /api/ every error is JSON, also those Django answers itself (unknown URL, wrong method)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            is_api(request)
            and response.status_code >= 400
            and "json" not in response.get("Content-Type", "")
            and not response.streaming
        ):
            replacement = error_response(
                request, response.status_code, response.reason_phrase.lower(), italian="", english=""
            )
            for header in ("Retry-After", "Allow", "WWW-Authenticate"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response
