"""Indexes search reads, per backend.

PostgreSQL: pg_trgm and a trigram GIN index on the vocabulary (typo correction); a stored tsvector
column on programs_action, generated from search_document with the `simple` configuration (the terms
are already lemmatised and stemmed by textsearch.py), with its own GIN index. Ranking reads the stored
vector instead of re-parsing each candidate's text; the expression index it replaces is dropped.

SQLite: an FTS5 table with the trigram tokenizer over the vocabulary, kept in sync by triggers (the
actions' own FTS5 table is programs' 0004).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

PG_FORWARD = [
    "CREATE INDEX searchword_word_trgm ON search_searchword USING gin (word gin_trgm_ops)",
    "ALTER TABLE programs_action ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(search_document, ''))) STORED",
    "CREATE INDEX action_search_vector_gin ON programs_action USING gin (search_vector)",
    "DROP INDEX IF EXISTS action_search_gin",
]
PG_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS action_search_gin ON programs_action "
    "USING gin (to_tsvector('italian'::regconfig, COALESCE(search_document, '')))",
    "DROP INDEX IF EXISTS action_search_vector_gin",
    "ALTER TABLE programs_action DROP COLUMN IF EXISTS search_vector",
    "DROP INDEX IF EXISTS searchword_word_trgm",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE searchword_trigram USING fts5("
    "word, content='search_searchword', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER searchword_trigram_insert AFTER INSERT ON search_searchword BEGIN "
    "INSERT INTO searchword_trigram(rowid, word) VALUES (new.id, new.word); END",
    "CREATE TRIGGER searchword_trigram_delete AFTER DELETE ON search_searchword BEGIN "
    "INSERT INTO searchword_trigram(searchword_trigram, rowid, word) VALUES ('delete', old.id, old.word); END",
    "CREATE TRIGGER searchword_trigram_update AFTER UPDATE OF word ON search_searchword BEGIN "
    "INSERT INTO searchword_trigram(searchword_trigram, rowid, word) VALUES ('delete', old.id, old.word); "
    "INSERT INTO searchword_trigram(rowid, word) VALUES (new.id, new.word); END",
    "INSERT INTO searchword_trigram(searchword_trigram) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS searchword_trigram_insert",
    "DROP TRIGGER IF EXISTS searchword_trigram_delete",
    "DROP TRIGGER IF EXISTS searchword_trigram_update",
    "DROP TABLE IF EXISTS searchword_trigram",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}.get(vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_vocabulary_and_neighbours"),
        ("programs", "0006_municipality_identity_contacts_and_legal_pages"),
    ]

    operations = [TrigramExtension(), migrations.RunPython(forward, backward)]
