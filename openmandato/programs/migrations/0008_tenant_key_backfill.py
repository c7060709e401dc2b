"""Citus-ready schema, step 2 of 3: existing rows take the municipality of their parent."""

from django.db import migrations

from openmandato.core.tenant_key import backfill


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0007_tenant_key_columns"),
    ]

    operations = [
        backfill(
            "programs",
            [
                ("principle", "mandate"),
                ("section", "mandate"),
                ("action", "mandate"),
            ],
        ),
    ]
