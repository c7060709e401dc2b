"""Citus-ready link tables, step 2 of 3: existing links take the municipality of their membership."""

from django.db import migrations

from openmandato.core.tenant_key import backfill


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_membership_areas_keyed_columns"),
    ]

    operations = [
        backfill("core", [("membershiparea", "membership")]),
    ]
