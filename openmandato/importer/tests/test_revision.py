import datetime

import pytest
from django.core.management import call_command

from openmandato.accountability.models import ProgressUpdate
from openmandato.accountability.services import record_progress
from openmandato.programs.models import Action, Mandate

pytestmark = pytest.mark.django_db

ORIGINAL = """# Programma di mandato del Comune di Borgoverde

## Ambiente

1. Piantare mille alberi nei parchi cittadini entro il 2026.
2. Raddoppiare le piste ciclabili tra centro e frazioni.
3. Installare pannelli solari su tutte le scuole comunali.

## Cultura

1. Riaprire il teatro comunale dopo il restauro.
2. Ampliare gli orari della biblioteca civica.
"""

REVISED = """# Programma di mandato del Comune di Borgoverde

## Ambiente

1. Piantare mille alberi nei parchi cittadini e nelle frazioni entro il 2026.
2. Raddoppiare le piste ciclabili tra centro e frazioni.

## Cultura

1. Riaprire il teatro comunale dopo il restauro.
2. Ampliare gli orari della biblioteca civica.
3. Creare un festival estivo nei cortili storici.
"""


@pytest.fixture
def imported(tmp_path):
    original = tmp_path / "programma.md"
    original.write_text(ORIGINAL, encoding="utf-8")
    call_command("import_program", str(original), verbosity=0)
    trees = Action.objects.get(text__startswith="Piantare mille alberi")
    record_progress(
        trees, user=None, system=True, status="in_progress", progress=30, date=datetime.date(2024, 5, 1)
    )
    revised = tmp_path / "programma-rev2.md"
    revised.write_text(REVISED, encoding="utf-8")
    return trees, revised


def test_a_revision_is_shown_as_a_diff_and_changes_nothing_without_update(imported, capsys):
    trees, revised = imported
    call_command("import_program", str(revised), "--diff")
    out = capsys.readouterr().out
    assert "1 azioni nuove, 1 modificate, 1 da archiviare" in out
    assert "+ Programma di mandato del Comune di Borgoverde > Cultura | 3 Creare un festival estivo" in out
    assert "~ " in out and "Piantare mille alberi" in out
    assert "- Ambiente | 3 Installare pannelli solari" in out
    with pytest.raises(SystemExit):
        call_command("import_program", str(revised))
    assert "--update" in capsys.readouterr().err
    assert (
        Action.objects.active().count() == 5 and Action.objects.filter(archived_at__isnull=False).count() == 0
    )


def test_applying_a_revision_keeps_history_and_archives_what_was_removed(imported):
    trees, revised = imported
    call_command("import_program", str(revised), "--update", verbosity=0)
    trees.refresh_from_db()
    assert trees.text.startswith("Piantare mille alberi nei parchi cittadini e nelle frazioni")
    assert ProgressUpdate.objects.get().action_id == trees.pk and trees.progress == 30
    solar = Action.objects.get(text__startswith="Installare pannelli solari")
    assert solar.archived_at is not None
    assert Action.objects.active().filter(text__startswith="Creare un festival").exists()
    assert Action.objects.active().count() == 5
    assert Mandate.objects.get().source_filename == "programma-rev2.md"
    # Applying the same revision again changes nothing.
    call_command("import_program", str(revised), "--update", verbosity=0)
    assert Action.objects.count() == 6
