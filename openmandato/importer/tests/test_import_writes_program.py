import pytest
from django.core.management import call_command

from openmandato.programs.models import Action, Area, Mandate, Municipality, Principle, Section

pytestmark = pytest.mark.django_db


def table_counts():
    return [model.objects.count() for model in (Municipality, Mandate, Principle, Section, Action, Area)]


def test_it_writes_the_valenza_program(valenza_path, capsys):
    call_command("import_program", str(valenza_path))
    mandate = Mandate.objects.get()
    assert mandate.municipality.name == "Valenza"
    assert mandate.is_current
    assert mandate.period == "2020–2025"
    assert mandate.source_filename == valenza_path.name
    assert len(mandate.source_sha256) == 64
    assert mandate.principles.count() == 7
    assert mandate.sections.count() == 9
    assert mandate.actions.count() == 84
    bellezza = mandate.sections.get(title="Bellezza")
    assert list(bellezza.actions.filter(code="7").values_list("position", flat=True)) == [6, 7]
    assert "84 azioni" in capsys.readouterr().out


def test_it_writes_the_cremona_tree_with_areas(cremona_path):
    call_command("import_program", str(cremona_path), "--municipality", "Cremona")
    mandate = Mandate.objects.get(municipality__slug="cremona")
    chapter = mandate.sections.get(parent=None)
    assert chapter.children.count() == 7
    assert mandate.actions.leaves().count() == 20
    liutario = Action.objects.get(title="Polo alta formazione e ricerca liutario")
    assert liutario.children.count() == 3
    assert set(Area.objects.values_list("name", flat=True)) == {
        "Area sviluppo, lavoro e politiche di area vasta",
        "Area gestione, territorio e comunità",
        "Area welfare di comunità e coesione sociale",
    }
    giovani = mandate.sections.get(title="PIANO LOCALE GIOVANI")
    assert giovani.areas.count() == 2
    # Actions without areas of their own are the responsibility of their section's areas.
    leaf = giovani.actions.filter(parent__isnull=False).first()
    assert set(leaf.areas.all()) == set(giovani.areas.all())


def test_reimporting_the_same_file_changes_nothing_and_says_so(valenza_path, capsys):
    call_command("import_program", str(valenza_path))
    before = table_counts()
    first_pk = Mandate.objects.get().pk
    capsys.readouterr()
    call_command("import_program", str(valenza_path))
    assert table_counts() == before
    assert Mandate.objects.get().pk == first_pk
    assert "Nessuna modifica" in capsys.readouterr().out


def test_a_second_municipality_gets_its_own_current_mandate(valenza_path, cremona_path):
    call_command("import_program", str(valenza_path))
    call_command("import_program", str(cremona_path), "--municipality", "Cremona")
    assert Mandate.objects.filter(is_current=True).count() == 2
