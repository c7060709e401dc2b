"""Public reads from a read replica (DATABASE_REPLICA_URL), everything else from the primary.

`PublicReadsMiddleware` marks an anonymous GET or HEAD (no session cookie) as a public read for the
duration of the request; during it the router sends reads to the "replica" alias. Signed-in visitors,
writes, the worker and management commands always use the primary, so staff read their own writes at
once; anonymous visitors may see a change a moment later (the replica's lag), and since the change
markers are read from the replica too, the page cache stays consistent with what the replica shows.
"""

from __future__ import annotations

import contextvars

from django.conf import settings

REPLICA = "replica"
_public_read = contextvars.ContextVar("openmandato_public_read", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _public_read.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


def is_public_read(request) -> bool:
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


class PublicReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _public_read.set(is_public_read(request))
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)
