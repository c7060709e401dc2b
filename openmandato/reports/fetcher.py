"""What WeasyPrint may read while printing a report: our own static files and evidence, as local files.

Anything else (http, https, ftp, other local files) is refused, so text that reaches the report's HTML
or CSS can never make the server fetch a URL (server-side request forgery)."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher

logger = logging.getLogger(__name__)


class RefusedURL(ValueError):
    pass


def allowed_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT), Path(settings.MEDIA_ROOT) / "evidence"]
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    return [root.resolve() for root in roots]


def local_path(url: str, roots: list[Path]) -> Path | None:
    """The file a `file:` URL names, when it lies inside one of the roots; otherwise None."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    if any(path.is_relative_to(root) for root in roots) and path.is_file():
        return path
    return None


class ReportURLFetcher(URLFetcher):
    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=("file",), allow_redirects=False, **kwargs)
        self._roots = allowed_roots()

    def fetch(self, url, headers=None):
        if local_path(url, self._roots) is None:
            logger.warning("report: refused to fetch %.200r", url)
            raise RefusedURL(f"refused: {url[:200]}")
        return super().fetch(url, headers)
