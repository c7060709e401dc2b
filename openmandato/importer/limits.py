"""Bounds on what an imported document may cost: pages of a PDF, decompressed size of a DOCX (a zip
bomb is refused from its entries' declared sizes and again while inflating), number of actions, and
reading time. Each refusal is one clear line."""

from __future__ import annotations

import contextlib
import io
import signal
import threading
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from openmandato.importer.errors import ImportRejected

CHUNK = 1024 * 1024


def max_pages() -> int:
    return getattr(settings, "IMPORT_MAX_PAGES", 300)


def max_unzipped_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UNZIPPED_MB", 30) * 1024 * 1024


def max_actions() -> int:
    return getattr(settings, "IMPORT_MAX_ACTIONS", 3000)


def max_seconds() -> int:
    return getattr(settings, "IMPORT_MAX_SECONDS", 60)


def check_pdf_pages(count: int) -> None:
    if count > max_pages():
        raise ImportRejected(
            _("Il PDF ha %(count)d pagine: il massimo è %(limit)d.") % {"count": count, "limit": max_pages()}
        )


def check_docx(data: bytes) -> None:
    """Refuse a DOCX whose parts would inflate beyond the limit: first by the sizes the zip declares,
    then by inflating each part with a cap (declared sizes can lie)."""
    limit = max_unzipped_bytes()
    too_big = ImportRejected(
        _("Il file DOCX decompresso supera %(limit)d MB: non può essere importato.")
        % {"limit": limit // 2**20}
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        if sum(entry.file_size for entry in entries) > limit:
            raise too_big
        total = 0
        for entry in entries:
            with archive.open(entry) as stream:
                while chunk := stream.read(CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise too_big


def check_actions(count: int) -> None:
    if count > max_actions():
        raise ImportRejected(
            _("Il documento contiene %(count)d azioni: il massimo è %(limit)d.")
            % {"count": count, "limit": max_actions()}
        )


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds: int | None = None):
    """Stop reading a document after `seconds` (in the main thread, where a timer signal can interrupt
    it: gunicorn's sync workers and the command line; elsewhere the size limits above still hold)."""
    seconds = seconds or max_seconds()
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Timeout:
        message = _("La lettura del documento supera %(seconds)d secondi: dividilo in parti più piccole.")
        raise ImportRejected(message % {"seconds": seconds}) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
