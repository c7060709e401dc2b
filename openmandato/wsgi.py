import os
from importlib import import_module

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openmandato.settings")
application = get_wsgi_application()


def _preload() -> None:
    """Import every view now: under `gunicorn --preload` the workers are forked with them loaded, so a
    new or recycled worker answers its first request at once. No database connection is opened here,
    and any that was is closed, so that no two processes share one."""
    from django.conf import settings
    from django.db import connections

    import_module(settings.ROOT_URLCONF)
    connections.close_all()


_preload()
