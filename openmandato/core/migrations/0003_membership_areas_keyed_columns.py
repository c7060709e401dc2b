"""Citus-ready link tables, step 1 of 3: Membership.areas gets an explicit `through` model on its existing
table (state only: the table, its columns and its rows stay), then the municipality key, nullable until
the backfill."""

import django.db.models.deletion
from django.db import migrations, models

from openmandato.core.tenant_key import key_column


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_membership_role_moderator"),
        ("programs", "0009_tenant_key_required"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MembershipArea",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "membership",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="core.membership",
                            ),
                        ),
                        (
                            "area",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="programs.area",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "area del ruolo",
                        "verbose_name_plural": "aree dei ruoli",
                        "db_table": "accountability_membership_areas",
                        "unique_together": {("membership", "area")},
                    },
                ),
                migrations.AlterField(
                    model_name="membership",
                    name="areas",
                    field=models.ManyToManyField(
                        blank=True, through="core.MembershipArea", to="programs.area", verbose_name="aree"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(model_name="membershiparea", name="municipality", field=key_column()),
    ]
