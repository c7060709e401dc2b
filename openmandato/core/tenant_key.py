"""Migrations that give existing rows their municipality key (see core.models.TenantRow)."""

from __future__ import annotations

from django.db import migrations


def backfill(app_label: str, children: list[tuple[str, str]]) -> migrations.RunPython:
    """One UPDATE per table, in the order given (parents first): each row takes the municipality of the
    row its `parent` foreign key points to. Plain SQL with a correlated subquery: SQLite and PostgreSQL."""

    def forward(apps, schema_editor):
        quote = schema_editor.quote_name
        for model_name, parent in children:
            model = apps.get_model(app_label, model_name)
            field = model._meta.get_field(parent)
            target = field.related_model._meta
            table = quote(model._meta.db_table)
            parent_row = f"p.{quote(target.pk.column)} = {table}.{quote(field.column)}"
            schema_editor.execute(
                f"UPDATE {table} SET municipality_id = (SELECT p.municipality_id FROM "  # noqa: S608 - names from the models
                f"{quote(target.db_table)} p WHERE {parent_row}) WHERE municipality_id IS NULL"
            )
            if schema_editor.connection.vendor == "postgresql":
                # every row was rewritten: without fresh statistics the planner misjudged the national
                # data set until autovacuum came round (the back-office list took 126 ms instead of 2)
                schema_editor.execute(f"ANALYZE {table}")

    return migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)


def key_column():
    """The nullable column added before the backfill (made NOT NULL after it)."""
    from django.db import models

    return models.ForeignKey(
        editable=False,
        null=True,
        on_delete=models.deletion.CASCADE,
        related_name="+",
        to="programs.municipality",
    )
