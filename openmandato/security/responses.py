"""Short error answers that need no database: JSON under /api/, a small bilingual page elsewhere."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def error_response(request, status: int, detail: str, *, italian: str, english: str, headers=None):
    """`detail` is the API's English one-liner; `italian`/`english` are the page's message."""
    if is_api(request):
        response = JsonResponse({"detail": detail}, status=status)
    else:
        body = render_to_string("error.html", {"status": status, "italian": italian, "english": english})
        response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    for name, value in (headers or {}).items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, detail: str, italian: str, english: str):
    return error_response(request, 400, detail, italian=italian, english=english)
