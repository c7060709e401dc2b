"""The vocabulary becomes incremental: document counts per term (SearchTerm), how many actions print
each word (SearchWord.uses) and what each mandate contributed (MandateVocabulary). Run
`openmandato rebuild_search_index` once after this migration to count the existing programs.

On SQLite adding a column rebuilds search_searchword, which drops the triggers that keep its trigram
table (0002) in step: they are created again here and the trigram table rebuilt."""

from django.db import migrations, models

SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS searchword_trigram_insert",
    "DROP TRIGGER IF EXISTS searchword_trigram_delete",
    "DROP TRIGGER IF EXISTS searchword_trigram_update",
    "CREATE TRIGGER searchword_trigram_insert AFTER INSERT ON search_searchword BEGIN "
    "INSERT INTO searchword_trigram(rowid, word) VALUES (new.id, new.word); END",
    "CREATE TRIGGER searchword_trigram_delete AFTER DELETE ON search_searchword BEGIN "
    "INSERT INTO searchword_trigram(searchword_trigram, rowid, word) VALUES ('delete', old.id, old.word); END",
    "CREATE TRIGGER searchword_trigram_update AFTER UPDATE OF word ON search_searchword BEGIN "
    "INSERT INTO searchword_trigram(searchword_trigram, rowid, word) VALUES ('delete', old.id, old.word); "
    "INSERT INTO searchword_trigram(rowid, word) VALUES (new.id, new.word); END",
    "INSERT INTO searchword_trigram(searchword_trigram) VALUES ('rebuild')",
]


def sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_stored_vector_and_trigram_indexes"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, sqlite_triggers),  # after the column goes, backwards
        migrations.CreateModel(
            name="MandateVocabulary",
            fields=[
                (
                    "mandate_id",
                    models.BigIntegerField(primary_key=True, serialize=False, verbose_name="mandato"),
                ),
                ("actions", models.PositiveIntegerField(default=0, verbose_name="azioni")),
                ("terms", models.JSONField(default=dict, verbose_name="termini")),
                ("words", models.JSONField(default=dict, verbose_name="parole")),
            ],
            options={
                "verbose_name": "vocabolario di un mandato",
                "verbose_name_plural": "vocabolari dei mandati",
            },
        ),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("term", models.CharField(max_length=60, unique=True, verbose_name="termine")),
                ("documents", models.IntegerField(default=0, verbose_name="azioni")),
            ],
            options={
                "verbose_name": "termine cercabile",
                "verbose_name_plural": "termini cercabili",
            },
        ),
        migrations.AddField(
            model_name="searchword",
            name="uses",
            field=models.IntegerField(default=0, verbose_name="usi"),
        ),
        migrations.RunPython(sqlite_triggers, migrations.RunPython.noop),
    ]
