import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openmandato.programs.models import Action, Municipality

QUALITY_KEYS = {"confidence", "flags", "source"}
SECTION_KEYS = {"title", "summary", "objective", "areas", "sections", "actions"} | QUALITY_KEYS
ACTION_KEYS = {"code", "title", "text", "areas", "actions"} | QUALITY_KEYS


def check_quality(node):
    assert 0.0 <= node["confidence"] <= 1.0
    assert all(isinstance(flag, str) for flag in node["flags"])
    assert node["source"]["page"] is None or isinstance(node["source"]["page"], int)
    assert node["source"]["text"]


def check_section(section):
    assert section.keys() >= SECTION_KEYS
    check_quality(section)
    assert all(isinstance(area, str) for area in section["areas"])
    for child in section["sections"]:
        check_section(child)
    for action in section["actions"]:
        check_action(action)


def check_action(action):
    assert action.keys() >= ACTION_KEYS
    check_quality(action)
    assert action["code"] is None or isinstance(action["code"], str)
    for child in action["actions"]:
        check_action(child)


def test_dry_run_json_prints_the_tree_in_the_documented_shape(run_cli, valenza_path):
    result = run_cli("import_program", str(valenza_path), "--dry-run", "--format", "json")
    assert result.returncode == 0, result.stderr
    tree = json.loads(result.stdout)
    assert {"municipality", "title", "period", "principles", "sections"} <= tree.keys()
    assert tree["layout"] == "stakeholder_tables" and "84 azioni" in tree["layout_reason"]
    assert tree["confidence"] >= 0.8
    assert tree["municipality"] == "Valenza"
    first = tree["principles"][0]
    assert first["title"] == "FUTURO"
    assert first["text"].startswith("il futuro è ora! Le decisioni che l’Amministrazione Ballerini")
    assert first["text"].endswith("in maniera conservativa o fine a sé stessa.")
    assert len(tree["principles"]) == 7
    for section in tree["sections"]:
        check_section(section)
    assert sum(len(s["actions"]) for s in tree["sections"]) == 84


def test_dry_run_json_of_cremona_nests_child_actions(run_cli, cremona_path):
    result = run_cli(
        "import_program", str(cremona_path), "--dry-run", "--format", "json", "--municipality", "Cremona"
    )
    tree = json.loads(result.stdout)
    assert tree["municipality"] == "Cremona"
    polo = tree["sections"][0]["sections"][1]
    assert [len(a["actions"]) for a in polo["actions"]] == [3, 3, 3]


@pytest.mark.django_db
def test_dry_run_touches_no_database(valenza_path, capsys):
    with CaptureQueriesContext(connection) as queries:
        call_command("import_program", str(valenza_path), "--dry-run", "--format", "json")
    assert len(queries) == 0
    assert Municipality.objects.count() == 0
    assert Action.objects.count() == 0
    assert '"Bellezza"' in capsys.readouterr().out


def test_dry_run_text_outlines_the_program(run_cli, valenza_path):
    result = run_cli("import_program", str(valenza_path), "--dry-run")
    assert result.returncode == 0
    assert "§ Bellezza" in result.stdout
    assert "9 sezioni, 84 azioni" in result.stdout
    assert "attenzione: 2 azioni numerate 7 in «Bellezza»" in result.stdout
