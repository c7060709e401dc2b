"""Membership and AuditEntry now belong to `core` (see core 0001): only Django's state changes here, the
tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0004_backfill_transparency_log"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(model_name="membership", name="areas"),
                migrations.RemoveField(model_name="membership", name="municipality"),
                migrations.RemoveField(model_name="membership", name="user"),
                migrations.DeleteModel(name="AuditEntry"),
                migrations.DeleteModel(name="Membership"),
            ],
        )
    ]
