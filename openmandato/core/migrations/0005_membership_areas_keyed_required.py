"""Citus-ready link tables, step 3 of 3: the key is required, and the unique pair includes it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_membership_areas_keyed_backfill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="membershiparea",
            name="municipality",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="programs.municipality",
            ),
        ),
        migrations.AlterUniqueTogether(name="membershiparea", unique_together=set()),
        migrations.AddConstraint(
            model_name="membershiparea",
            constraint=models.UniqueConstraint(
                fields=("municipality", "membership", "area"), name="membership_area_unique"
            ),
        ),
    ]
