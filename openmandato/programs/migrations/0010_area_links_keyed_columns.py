"""Citus-ready link tables, step 1 of 3: Section.areas and Action.areas get explicit `through` models on
their existing tables (state only: the tables, their columns and their rows stay), then the municipality
key, nullable until the backfill."""

import django.db.models.deletion
from django.db import migrations, models

from openmandato.core.tenant_key import key_column


def link_model(name, table, owner, verbose_name, verbose_name_plural):
    """The automatic many-to-many table as Django created it: id, <owner>_id, area_id, unique pair."""
    return migrations.CreateModel(
        name=name,
        fields=[
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
            (
                owner,
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="+", to=f"programs.{owner}"
                ),
            ),
            (
                "area",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="+", to="programs.area"
                ),
            ),
        ],
        options={
            "verbose_name": verbose_name,
            "verbose_name_plural": verbose_name_plural,
            "db_table": table,
            "unique_together": {(owner, "area")},
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0009_tenant_key_required"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                link_model(
                    "SectionArea",
                    "programs_section_areas",
                    "section",
                    "area responsabile della sezione",
                    "aree responsabili delle sezioni",
                ),
                link_model(
                    "ActionArea",
                    "programs_action_areas",
                    "action",
                    "area responsabile dell'azione",
                    "aree responsabili delle azioni",
                ),
                migrations.AlterField(
                    model_name="section",
                    name="areas",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="sections",
                        through="programs.SectionArea",
                        to="programs.area",
                        verbose_name="aree responsabili",
                    ),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="areas",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="actions",
                        through="programs.ActionArea",
                        to="programs.area",
                        verbose_name="aree responsabili",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(model_name="sectionarea", name="municipality", field=key_column()),
        migrations.AddField(model_name="actionarea", name="municipality", field=key_column()),
    ]
