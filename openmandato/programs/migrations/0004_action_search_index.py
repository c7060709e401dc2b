"""Full-text index of Action.search_document: a GIN index on to_tsvector('italian', ...) on PostgreSQL,
an FTS5 table kept in sync by triggers on SQLite."""

from django.db import migrations

PG_FORWARD = (
    "CREATE INDEX action_search_gin ON programs_action "
    "USING gin (to_tsvector('italian'::regconfig, COALESCE(search_document, '')))"
)
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE action_fts USING fts5(search_document, content='programs_action', content_rowid='id')",
    "CREATE TRIGGER action_fts_insert AFTER INSERT ON programs_action BEGIN "
    "INSERT INTO action_fts(rowid, search_document) VALUES (new.id, new.search_document); END",
    "CREATE TRIGGER action_fts_delete AFTER DELETE ON programs_action BEGIN "
    "INSERT INTO action_fts(action_fts, rowid, search_document) VALUES ('delete', old.id, old.search_document); END",
    "CREATE TRIGGER action_fts_update AFTER UPDATE OF search_document ON programs_action BEGIN "
    "INSERT INTO action_fts(action_fts, rowid, search_document) VALUES ('delete', old.id, old.search_document); "
    "INSERT INTO action_fts(rowid, search_document) VALUES (new.id, new.search_document); END",
    "INSERT INTO action_fts(action_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS action_fts_insert",
    "DROP TRIGGER IF EXISTS action_fts_delete",
    "DROP TRIGGER IF EXISTS action_fts_update",
    "DROP TABLE IF EXISTS action_fts",
]


def backfill(apps, schema_editor):
    from openmandato.programs.textsearch import document_terms

    Action = apps.get_model("programs", "Action")
    for action in Action.objects.select_related("section").iterator():
        text = " ".join([action.code, action.title, action.text, action.section.title])
        Action.objects.filter(pk=action.pk).update(search_document=document_terms(text))


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = [PG_FORWARD] if vendor == "postgresql" else SQLITE_FORWARD if vendor == "sqlite" else []
    for statement in statements:
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = ["DROP INDEX IF EXISTS action_search_gin"] if vendor == "postgresql" else SQLITE_BACKWARD
    for statement in statements if vendor in ("postgresql", "sqlite") else []:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_action_search_document")]
    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
