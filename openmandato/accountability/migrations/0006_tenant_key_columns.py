"""Citus-ready schema, step 1 of 3: the municipality key, nullable until the backfill."""

from django.db import migrations

from openmandato.core.tenant_key import key_column


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0005_roles_and_audit_move_to_core"),
        ("programs", "0006_municipality_identity_contacts_and_legal_pages"),
    ]

    operations = [
        migrations.AddField(model_name="progressupdate", name="municipality", field=key_column()),
        migrations.AddField(model_name="evidence", name="municipality", field=key_column()),
        migrations.AddField(model_name="indicator", name="municipality", field=key_column()),
        migrations.AddField(model_name="measurement", name="municipality", field=key_column()),
        migrations.AddField(model_name="ledgerentry", name="municipality", field=key_column()),
        migrations.AddField(model_name="checkpoint", name="municipality", field=key_column()),
        migrations.AddField(model_name="checkpointtimestamp", name="municipality", field=key_column()),
        migrations.AddField(model_name="cosignature", name="municipality", field=key_column()),
    ]
