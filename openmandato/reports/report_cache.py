"""The PDF report costs about a second and a half of CPU: it is kept in the shared cache per (mandate,
as-of day, language, ledger head), so it changes exactly when the ledger does, and anonymous visitors
who ask for reports not yet cached are rate-limited (REPORT_RATE)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from openmandato.accountability import ledger
from openmandato.programs.models import Mandate
from openmandato.security.throttle import hit

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
CACHE_SECONDS = 7 * 24 * 3600


def effective_as_of(as_of: datetime.date | None) -> datetime.date:
    today = timezone.localdate()
    return today if as_of is None or as_of > today else as_of


def cache_key(mandate: Mandate, as_of: datetime.date | None) -> str:
    head = ledger.head(mandate)
    head_hash = head.hash if head else "empty"
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"report-pdf:{mandate.pk}:{effective_as_of(as_of).isoformat()}:{language}:{head_hash}"


def allowed_to_generate(request) -> tuple[bool, int]:
    if request.user.is_authenticated:
        return True, 0
    count, _sep, unit = settings.REPORT_RATE.partition("/")
    period = PERIODS[unit[:1] or "m"]
    return hit("report", request.META.get("REMOTE_ADDR", ""), int(count), period)


def cached_report(key: str) -> bytes | None:
    return cache.get(key)


def keep_report(key: str, pdf: bytes) -> None:
    cache.set(key, pdf, CACHE_SECONDS)
