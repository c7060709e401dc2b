"""Roles and the audit log move here from `accountability`: the tables stay where they are
(`accountability_membership`, `accountability_membership_areas`, `accountability_auditentry`), only
Django's idea of which app owns them changes, and their content types (and so every permission granted
on them) follow."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ("membership", "auditentry")


def move_content_types(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if not content_types.objects.using(db).filter(app_label="core", model=model).exists():
            content_types.objects.using(db).filter(app_label="accountability", model=model).update(
                app_label="core"
            )


def restore_content_types(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    content_types.objects.using(db).filter(app_label="core", model__in=MOVED).update(
        app_label="accountability"
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('programs', '0006_municipality_identity_contacts_and_legal_pages'),
        ('accountability', '0004_backfill_transparency_log'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='AuditEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='quando')),
                        ('verb', models.CharField(max_length=20, verbose_name='operazione')),
                        ('model', models.CharField(max_length=60, verbose_name='oggetto')),
                        ('object_id', models.CharField(max_length=40)),
                        ('object_repr', models.CharField(max_length=255, verbose_name='descrizione')),
                        ('before', models.JSONField(blank=True, null=True, verbose_name='prima')),
                        ('after', models.JSONField(blank=True, null=True, verbose_name='dopo')),
                        ('municipality', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='programs.municipality', verbose_name='comune')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL, verbose_name='utente')),
                    ],
                    options={
                        'verbose_name': 'voce di audit',
                        'verbose_name_plural': 'registro delle modifiche',
                        'db_table': 'accountability_auditentry',
                        'ordering': ['-at', '-pk'],
                        'indexes': [models.Index(fields=['municipality', '-at'], name='audit_municipality_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='Membership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('administrator', 'Amministratore del comune'), ('area_manager', 'Responsabile di area'), ('editor', 'Redattore del programma')], max_length=20, verbose_name='ruolo')),
                        ('areas', models.ManyToManyField(blank=True, to='programs.area', verbose_name='aree')),
                        ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='programs.municipality', verbose_name='comune')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL, verbose_name='utente')),
                    ],
                    options={
                        'verbose_name': 'ruolo nel comune',
                        'verbose_name_plural': 'ruoli nei comuni',
                        'db_table': 'accountability_membership',
                        'constraints': [models.UniqueConstraint(fields=('user', 'municipality', 'role'), name='membership_unique_role')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
