"""Conditional GET for public pages: an ETag and Last-Modified derived from the latest change anywhere
(a ledger entry, an audited back-office edit, an import), so a repeat visit is answered with 304."""

import hashlib

from django.db.models import Max
from django.utils import translation
from django.views.decorators.http import condition

from openmandato.accountability.models import AuditEntry, LedgerEntry
from openmandato.programs.models import Mandate


def last_change(request, *args, **kwargs):
    candidates = [
        LedgerEntry.objects.aggregate(at=Max("created_at"))["at"],
        AuditEntry.objects.aggregate(at=Max("at"))["at"],
        Mandate.objects.aggregate(at=Max("imported_at"))["at"],
    ]
    present = [value for value in candidates if value is not None]
    return max(present) if present else None


def page_etag(request, *args, **kwargs):
    changed = last_change(request)
    parts = [
        changed.isoformat() if changed else "-",
        translation.get_language() or "",
        str(request.user.pk or "") if request.user.is_authenticated else "anon",
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


cacheable = condition(etag_func=page_etag, last_modified_func=last_change)
