"""An existing database migrates to the core app keeping its roles, audit log and granted permissions."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from openmandato.core.models import AuditEntry, Membership

BEFORE = [
    ("core", None),
    ("accountability", "0004_backfill_transparency_log"),
    ("programs", "0006_municipality_identity_contacts_and_legal_pages"),
    ("contenttypes", "0002_remove_content_type_name"),
    ("auth", "0012_alter_user_first_name_max_length"),
]
AFTER = [("core", "0001_initial"), ("accountability", "0005_roles_and_audit_move_to_core")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


@pytest.mark.django_db(transaction=True)
def test_roles_audit_and_permissions_survive_the_move():
    old = migrate(BEFORE)
    user = old.get_model("auth", "User").objects.create(username="sindaca")
    municipality = old.get_model("programs", "Municipality").objects.create(name="Borgo", slug="borgo")
    area = old.get_model("programs", "Area").objects.create(municipality=municipality, name="Ambiente")
    membership = old.get_model("accountability", "Membership").objects.create(
        user=user, municipality=municipality, role="area_manager"
    )
    membership.areas.add(area)
    old.get_model("accountability", "AuditEntry").objects.create(
        user=user,
        municipality=municipality,
        verb="create",
        model="programs.area",
        object_id=str(area.pk),
        object_repr="Ambiente",
        after={"name": "Ambiente"},
    )
    content_types = old.get_model("contenttypes", "ContentType")
    permissions = old.get_model("auth", "Permission")
    membership_type = content_types.objects.get_or_create(app_label="accountability", model="membership")[0]
    change = permissions.objects.get_or_create(
        content_type=membership_type, codename="change_membership", defaults={"name": "Can change"}
    )[0]
    user.user_permissions.add(change)

    try:
        migrate(AFTER)
        moved = Membership.objects.get()
        assert (moved.user.username, moved.municipality.name, moved.role) == (
            "sindaca",
            "Borgo",
            "area_manager",
        )
        assert [a.name for a in moved.areas.all()] == ["Ambiente"]
        entry = AuditEntry.objects.get()
        assert (entry.user.username, entry.municipality.slug, entry.after) == (
            "sindaca",
            "borgo",
            {"name": "Ambiente"},
        )
        from django.contrib.auth.models import User

        assert User.objects.get(username="sindaca").has_perm("core.change_membership")
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
