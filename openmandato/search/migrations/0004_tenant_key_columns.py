"""Citus-ready schema, step 1 of 3: the municipality key, nullable until the backfill."""

from django.db import migrations

from openmandato.core.tenant_key import key_column


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_incremental_vocabulary"),
        ("programs", "0006_municipality_identity_contacts_and_legal_pages"),
    ]

    operations = [
        migrations.AddField(model_name="actionneighbour", name="municipality", field=key_column()),
    ]
