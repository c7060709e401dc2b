"""Citus-ready schema, step 2 of 3: existing rows take the municipality of their parent."""

from django.db import migrations

from openmandato.core.tenant_key import backfill


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0006_tenant_key_columns"),
        ("programs", "0008_tenant_key_backfill"),
    ]

    operations = [
        backfill(
            "accountability",
            [
                ("progressupdate", "action"),
                ("evidence", "update"),
                ("indicator", "action"),
                ("measurement", "indicator"),
                ("ledgerentry", "mandate"),
                ("checkpoint", "mandate"),
                ("checkpointtimestamp", "checkpoint"),
                ("cosignature", "checkpoint"),
            ],
        ),
    ]
