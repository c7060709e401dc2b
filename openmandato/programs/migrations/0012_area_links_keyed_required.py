"""Citus-ready link tables, step 3 of 3: the key is required, and the unique pair includes it."""

import django.db.models.deletion
from django.db import migrations, models


def required_key():
    return models.ForeignKey(
        editable=False,
        on_delete=django.db.models.deletion.CASCADE,
        related_name="+",
        to="programs.municipality",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0011_area_links_keyed_backfill"),
    ]

    operations = [
        migrations.AlterField(model_name="sectionarea", name="municipality", field=required_key()),
        migrations.AlterField(model_name="actionarea", name="municipality", field=required_key()),
        migrations.AlterUniqueTogether(name="sectionarea", unique_together=set()),
        migrations.AlterUniqueTogether(name="actionarea", unique_together=set()),
        migrations.AddConstraint(
            model_name="sectionarea",
            constraint=models.UniqueConstraint(
                fields=("municipality", "section", "area"), name="section_area_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="actionarea",
            constraint=models.UniqueConstraint(
                fields=("municipality", "action", "area"), name="action_area_unique"
            ),
        ),
    ]
