"""Data sets that are expensive to build (the demo: two programs, their history and signed log) built once
per test session through the real code, then written back row for row into each test that asks for them.

`capture()` runs the builder in a transaction that is rolled back, after reading every row it wrote;
`restore()` inserts those rows again (raw bulk inserts, as loaddata does: no signals, the rows already
hold what the signals wrote) and moves the PostgreSQL sequences past them. A test whose database already
holds a row with one of the same ids gets the slow path instead (it runs the builder itself), so ids can
never collide."""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

SKIPPED_APPS = {"contenttypes", "sessions", "admin", "django_tasks_db"}
SKIPPED_MODELS = {"auth.Permission"}


def _system_models() -> tuple[type, ...]:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    return (ContentType, Permission)


def _natural_keys() -> dict[tuple[type, int], tuple]:
    """(model, id) → natural key of every content type and permission."""
    content_type, permission = _system_models()
    keys = {}
    for pk, app_label, name in content_type.objects.values_list("pk", "app_label", "model"):
        keys[(content_type, pk)] = (app_label, name)
    for pk, codename, app_label, name in permission.objects.values_list(
        "pk", "codename", "content_type__app_label", "content_type__model"
    ):
        keys[(permission, pk)] = (codename, app_label, name)
    return keys


def _models():
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label in SKIPPED_APPS or meta.label in SKIPPED_MODELS:
            continue
        yield model


class _Rollback(Exception):
    pass


class Snapshot:
    def __init__(self, build: Callable[[], None]):
        self.build = build
        self.rows: dict[type, list[dict]] = {}
        self.keys: dict[tuple[type, int], tuple] = {}

    def capture(self) -> Snapshot:
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in _models()}
        try:
            with transaction.atomic():
                self.build()
                for model, existing in before.items():
                    key = model._meta.pk.attname
                    rows = [row for row in model._base_manager.values() if row[key] not in existing]
                    if rows:
                        self.rows[model] = rows
                self.keys = _natural_keys()
                raise _Rollback
        except _Rollback:
            pass
        return self

    def _rows_for_today(self) -> dict[type, list[dict]]:
        """Content types and permissions are made again, with other ids, when a transactional test
        flushes the database: point the rows at today's ids through their natural keys."""
        system = _system_models()
        today = {(model, key): pk for (model, pk), key in _natural_keys().items()}
        result = {}
        for model, rows in self.rows.items():
            fields = [
                f for f in model._meta.local_concrete_fields if f.is_relation and f.related_model in system
            ]
            if fields:
                rows = [dict(row) for row in rows]
                for row in rows:
                    for field in fields:
                        key = self.keys.get((field.related_model, row[field.attname]))
                        if key is not None:
                            row[field.attname] = today[(field.related_model, key)]
            result[model] = rows
        return result

    def restore(self) -> None:
        rows_by_model = self._rows_for_today()
        if any(
            model._base_manager.filter(pk__in=[row[model._meta.pk.attname] for row in rows]).exists()
            for model, rows in rows_by_model.items()
        ):
            self.build()  # the test wrote rows with these ids already: build for real
            return
        with transaction.atomic():
            for model, rows in rows_by_model.items():
                # A raw insert, as loaddata does: the values as read, auto_now fields included.
                fields = model._meta.local_concrete_fields
                for start in range(0, len(rows), 500):
                    objects = [model(**row) for row in rows[start : start + 500]]
                    model._base_manager._insert(objects, fields=fields, raw=True)
            statements = connection.ops.sequence_reset_sql(no_style(), list(rows_by_model))
            if statements:
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
