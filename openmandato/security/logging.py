"""One log line, without a traceback, for each request that failed because the database was down."""

from __future__ import annotations

import logging


class OutageOneLiner(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        from openmandato.security.views import is_outage

        exc = record.exc_info[1] if record.exc_info else None
        if is_outage(exc):
            first_line = (str(exc).strip().splitlines() or [""])[0]
            record.msg = f"database unavailable (503): %s %s: {type(exc).__name__}: %s"
            request = getattr(record, "request", None)
            record.args = (getattr(request, "method", "?"), getattr(request, "path", "?"), first_line)
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
