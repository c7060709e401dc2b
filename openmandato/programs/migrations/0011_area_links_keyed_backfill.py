"""Citus-ready link tables, step 2 of 3: existing links take the municipality of their section or action."""

from django.db import migrations

from openmandato.core.tenant_key import backfill


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0010_area_links_keyed_columns"),
    ]

    operations = [
        backfill("programs", [("sectionarea", "section"), ("actionarea", "action")]),
    ]
