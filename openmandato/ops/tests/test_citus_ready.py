"""The schema is ready to be sharded by comune with Citus (docs/deploy.md, "Sharding with Citus"): every
table is placed (core/citus.py), every distributed table carries a non-null municipality key that every
one of its unique constraints includes, and the key each row carries is its parent's."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor

from openmandato.core.citus import (
    DISTRIBUTED,
    DROPPED_FOREIGN_KEYS,
    PLACEMENT,
    placement,
)
from openmandato.core.models import TenantOneToOneField, TenantRow, is_tenant_link

ALL_MODELS = apps.get_models(include_auto_created=True)
DISTRIBUTED_MODELS = [m for m in ALL_MODELS if placement(m) == DISTRIBUTED]


def _label(model) -> str:
    return model._meta.label_lower


def key_problems(model) -> list[str]:
    """What stops `model` from being a Citus distributed table with distribution column municipality_id."""
    try:
        key = model._meta.get_field("municipality")
    except Exception:  # noqa: BLE001 - FieldDoesNotExist
        return ["no municipality field"]
    problems = []
    if not key.concrete or not key.many_to_one and not key.one_to_one:
        problems.append("municipality is not a foreign key column")
    elif _label(key.related_model) != "programs.municipality":
        problems.append("municipality does not point to programs.Municipality")
    if key.null:
        problems.append("municipality may be null")
    return problems


def unique_problems(model) -> list[str]:
    """Unique constraints of `model` (fields, unique_together, UniqueConstraint) without the key."""
    problems = []
    for field in model._meta.concrete_fields:
        if field.name == "municipality" or not field.unique:
            continue
        if field.primary_key:
            continue  # the operator replaces the primary key by (id, municipality_id): docs/deploy.md
        if isinstance(field, TenantOneToOneField):
            pairs = [set(c.fields) for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)]
            if {field.name, "municipality"} not in pairs:
                problems.append(
                    f"{field.name}: one-to-one without UniqueConstraint({field.name}, municipality)"
                )
            continue
        problems.append(f"{field.name}: unique on its own")
    for together in model._meta.unique_together:
        if "municipality" not in together:
            problems.append(f"unique_together {together}")
    for constraint in model._meta.constraints:
        unique = isinstance(constraint, models.UniqueConstraint)
        if unique and (constraint.expressions or "municipality" not in constraint.fields):
            problems.append(f"constraint {constraint.name}")
    return problems


def test_every_model_of_the_project_is_placed():
    unplaced = sorted(_label(m) for m in ALL_MODELS if placement(m) is None)
    assert unplaced == []
    stale = sorted(set(PLACEMENT) - {_label(m) for m in ALL_MODELS})
    assert stale == []


def test_a_new_unplaced_model_is_noticed():
    class Unplaced(models.Model):  # noqa: DJ008
        class Meta:
            app_label = "ops"

    try:
        assert placement(Unplaced) is None
    finally:
        del apps.all_models["ops"]["unplaced"]
        apps.clear_cache()


def test_every_distributed_table_carries_a_required_municipality_key():
    assert len(DISTRIBUTED_MODELS) >= 25
    problems = {_label(m): key_problems(m) for m in DISTRIBUTED_MODELS}
    assert {label: found for label, found in problems.items() if found} == {}


def test_every_unique_constraint_of_a_distributed_table_includes_the_key():
    problems = {_label(m): unique_problems(m) for m in DISTRIBUTED_MODELS}
    assert {label: found for label, found in problems.items() if found} == {}


def test_the_checks_catch_a_table_that_is_not_ready():
    """The two checks above find what they look for (a model shaped as before this schema)."""
    from openmandato.search.models import SearchWord

    assert key_problems(SearchWord) == ["no municipality field"]
    assert unique_problems(SearchWord) == ["word: unique on its own"]


def test_the_link_tables_of_distributed_rows_are_keyed_and_distributed():
    """Every many-to-many table between a comune's rows (Django's automatic ones have no key) is an
    explicit TenantLink, distributed, whose key and unique pair the checks above cover."""
    links = {
        _label(field.remote_field.through): field
        for model in DISTRIBUTED_MODELS
        for field in model._meta.local_many_to_many
    }
    assert {"programs.sectionarea", "programs.actionarea", "core.membershiparea"} <= set(links)
    problems = {
        label: key_problems(field.remote_field.through) + unique_problems(field.remote_field.through)
        for label, field in links.items()
    }
    assert {label: found for label, found in problems.items() if found} == {}
    assert all(placement(field.remote_field.through) == DISTRIBUTED for field in links.values())
    assert all(is_tenant_link(field) for field in links.values())


def test_the_checks_catch_an_automatic_link_table():
    """Django's automatic many-to-many table (owner id, area id, unique pair) fails both checks."""

    class Unkeyed(models.Model):  # noqa: DJ008
        areas = models.ManyToManyField("programs.Area", related_name="+")

        class Meta:
            app_label = "ops"

    try:
        through = Unkeyed._meta.get_field("areas").remote_field.through
        assert key_problems(through) == ["no municipality field"]
        assert unique_problems(through) == ["unique_together ('unkeyed', 'area')"]
    finally:
        del apps.all_models["ops"]["unkeyed"]
        del apps.all_models["ops"]["unkeyed_areas"]
        apps.clear_cache()


def test_related_managers_and_forms_give_link_rows_their_key(world):
    """add() and set() from either side, and a ModelForm's save_m2m, write link rows with the key."""
    from django import forms

    from openmandato.core.models import Membership, MembershipArea
    from openmandato.programs.models import Action, ActionArea, Area, SectionArea

    municipality_id = world.municipality.pk
    area = Area.objects.create(municipality=world.municipality, name="Ufficio nuovo")
    world.action_a.areas.add(area)
    world.action_a.section.areas.set([area])
    area.actions.add(world.action_b)
    Membership.objects.get(user=world.users["editor"]).areas.add(area)

    class ActionAreasForm(forms.ModelForm):
        class Meta:
            model = Action
            fields = ["areas"]

    form = ActionAreasForm({"areas": [world.area_a.pk, area.pk]}, instance=world.action_b)
    assert form.is_valid(), form.errors
    form.save()

    assert ActionArea.objects.filter(area=area).count() == 2
    assert set(world.action_b.areas.all()) == {world.area_a, area}
    for model in (ActionArea, SectionArea, MembershipArea):
        assert set(model.objects.values_list("municipality_id", flat=True)) == {municipality_id}, model


def test_the_admin_edits_the_link_fields(world, client):
    """Django's admin leaves out many-to-many fields with a `through` model; ScopedAdmin keeps them."""
    from openmandato.programs.models import ActionArea

    client.force_login(world.users["editor"])
    url = f"/admin/programs/action/{world.action_a.pk}/change/"
    assert 'name="areas"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "section": world.action_a.section_id,
            "position": 0,
            "code": "1",
            "title": "Piantare alberi",
            "text": "",
            "areas": [world.area_a.pk, world.area_b.pk],
            "weight": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    links = ActionArea.objects.filter(action=world.action_a).values_list("area_id", "municipality_id")
    assert set(links) == {(world.area_a.pk, world.municipality.pk), (world.area_b.pk, world.municipality.pk)}


def test_foreign_keys_citus_cannot_keep_are_the_documented_ones():
    """A reference or local table cannot point to a distributed one: those keys are dropped on Citus."""
    found = set()
    for model in ALL_MODELS:
        if placement(model) == DISTRIBUTED:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and placement(field.related_model) == DISTRIBUTED:
                found.add(f"{_label(model)}.{field.name}")
    assert found == DROPPED_FOREIGN_KEYS


def test_tenant_rows_take_the_key_of_their_parent(demo):
    """After load_demo, every keyed row's municipality is its parent's (one query per table)."""
    checked = {}
    for model in DISTRIBUTED_MODELS:
        if not issubclass(model, TenantRow):
            continue
        rows = model._base_manager.all()
        parent_key = models.F(f"{model.tenant_parent}__municipality_id")
        checked[_label(model)] = (rows.count(), rows.exclude(municipality_id=parent_key).count())
    assert all(wrong == 0 for _count, wrong in checked.values()), checked
    for label in ("programs.action", "accountability.progressupdate", "accountability.ledgerentry"):
        assert checked[label][0] > 0


def test_a_row_saved_without_its_key_takes_the_parents(world):
    from openmandato.accountability.models import ProgressUpdate

    update = ProgressUpdate(action_id=world.action_a.pk, date=datetime.date(2024, 1, 1), status="in_progress")
    update.progress = 10
    update.save()
    expected = world.action_a.mandate.municipality_id
    assert ProgressUpdate.objects.values_list("municipality_id", flat=True).get(pk=update.pk) == expected


BEFORE = [
    ("programs", "0006_municipality_identity_contacts_and_legal_pages"),
    ("accountability", "0005_roles_and_audit_move_to_core"),
    ("search", "0003_incremental_vocabulary"),
    ("participation", "0001_comments_supports_proposals_contests"),
    ("importer", "0002_background_parse"),
]


@pytest.mark.django_db(transaction=True)
def test_the_migrations_give_existing_rows_their_parents_key():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="citizen")
    rows = {}
    for name in ("Aosta", "Bari"):
        municipality = old.get_model("programs", "Municipality").objects.create(name=name, slug=name.lower())
        mandate = old.get_model("programs", "Mandate").objects.create(municipality=municipality, title="M")
        section = old.get_model("programs", "Section").objects.create(mandate=mandate, title="S")
        action = old.get_model("programs", "Action").objects.create(
            mandate=mandate, section=section, title="A"
        )
        old.get_model("programs", "Principle").objects.create(mandate=mandate, title="P")
        update = old.get_model("accountability", "ProgressUpdate").objects.create(
            action=action, date=datetime.date(2024, 1, 1), status="in_progress", progress=5
        )
        old.get_model("accountability", "Evidence").objects.create(
            update=update, kind="link", url="https://x.it"
        )
        old.get_model("accountability", "LedgerEntry").objects.create(
            mandate=mandate, seq=1, update=update, prev_hash="0" * 64, hash=name * 4
        )
        checkpoint = old.get_model("accountability", "Checkpoint").objects.create(
            mandate=mandate, origin="o", tree_size=1, root_hash="0" * 64, note="n"
        )
        old.get_model("accountability", "Cosignature").objects.create(
            checkpoint=checkpoint, witness="w", line="l"
        )
        old.get_model("participation", "Support").objects.create(action=action, user=user)
        area = old.get_model("programs", "Area").objects.create(municipality=municipality, name="Ufficio")
        action.areas.add(area)  # Django's automatic link tables, before their explicit models
        section.areas.add(area)
        membership = old.get_model("core", "Membership").objects.create(
            user=user, municipality=municipality, role="area_manager"
        )
        membership.areas.add(area)
        rows[name] = (municipality.pk, action.pk)
    old.get_model("search", "ActionNeighbour").objects.create(
        action_id=rows["Aosta"][1], neighbour_id=rows["Bari"][1], score=0.5
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    for app_label, model_name, parent in [
        ("programs", "Section", "mandate"),
        ("programs", "Action", "mandate"),
        ("programs", "Principle", "mandate"),
        ("accountability", "ProgressUpdate", "action"),
        ("accountability", "Evidence", "update"),
        ("accountability", "LedgerEntry", "mandate"),
        ("accountability", "Cosignature", "checkpoint"),
        ("participation", "Support", "action"),
        ("programs", "SectionArea", "section"),
        ("programs", "ActionArea", "action"),
        ("core", "MembershipArea", "membership"),
    ]:
        model = new.get_model(app_label, model_name)
        pairs = set(model.objects.values_list("municipality_id", f"{parent}__municipality_id"))
        assert pairs == {(rows["Aosta"][0],) * 2, (rows["Bari"][0],) * 2}, model_name
    neighbour = new.get_model("search", "ActionNeighbour").objects.get()
    assert neighbour.municipality_id == rows["Aosta"][0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's catalogue")
@pytest.mark.django_db
def test_every_distributed_table_has_an_index_led_by_the_key():
    """What a comune's queries filter on (and Citus routes by) is the first column of an index."""
    without = []
    with connection.cursor() as cursor:
        for model in DISTRIBUTED_MODELS:
            cursor.execute(
                "SELECT count(*) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                "AND a.attnum = i.indkey[0] "
                "WHERE i.indrelid = %s::regclass AND a.attname = 'municipality_id'",
                [model._meta.db_table],
            )
            if cursor.fetchone()[0] == 0:
                without.append(model._meta.db_table)
    assert without == []
