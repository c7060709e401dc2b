"""PostgreSQL: the actions' text index (action_search_vector_gin) without GIN's pending list.

With `fastupdate` on (the default) new entries wait in an unsorted pending list of up to 4 MB until a
vacuum merges them, and every search scans the whole list meanwhile: after an import of a few
thousand actions that was ~300 pages read by every query (measured on the 800,000-action benchmark).
Actions are written by imports and edits, read by every search: the index is kept merged on write.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX action_search_vector_gin SET (fastupdate = off)")
        schema_editor.execute("SELECT gin_clean_pending_list('action_search_vector_gin'::regclass)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX action_search_vector_gin RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_incremental_vocabulary")]

    operations = [migrations.RunPython(forward, backward)]
