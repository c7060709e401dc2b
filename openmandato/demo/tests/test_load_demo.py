import pytest
from django.core.management import call_command
from django.test import Client

from openmandato.accountability import ledger
from openmandato.accountability.models import Indicator, LedgerEntry, ProgressUpdate
from openmandato.programs.models import Action, Mandate, Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def var_dir(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    return tmp_path


def counts():
    return (
        Municipality.objects.count(),
        Mandate.objects.count(),
        Action.objects.count(),
        ProgressUpdate.objects.count(),
    )


def test_load_demo_imports_both_programs_with_a_labelled_history(var_dir, capsys):
    call_command("load_demo")
    assert set(Municipality.objects.values_list("slug", flat=True)) == {"cremona", "valenza"}
    cremona = Municipality.objects.get(slug="cremona")
    assert (cremona.province, cremona.region, cremona.istat_code) == ("CR", "Lombardia", "019036")
    assert cremona.current_mandate().period == "2019–2024"
    updates = ProgressUpdate.objects.all()
    assert updates.count() > 100
    assert not updates.filter(is_demo=False).exists()
    assert all(note.startswith("[DEMO]") for note in updates.values_list("note", flat=True))
    statuses = set(Action.objects.leaves().values_list("status", flat=True))
    assert {"done", "in_progress", "not_started"} <= statuses
    # Progress never goes backwards in the invented history (corrections aside).
    for action in Action.objects.filter(updates__isnull=False, updates__corrects__isnull=True).distinct()[
        :50
    ]:
        values = list(
            action.updates.filter(corrects__isnull=True).order_by("date").values_list("progress", flat=True)
        )
        assert values == sorted(values)


def test_the_demo_history_is_believable(var_dir):
    call_command("load_demo")
    leaves = Action.objects.leaves()
    with_history = leaves.filter(updates__isnull=False).distinct()
    assert with_history.count() > 0.8 * leaves.count()
    several = [a for a in with_history if a.updates.count() >= 2]
    assert len(several) > 0.5 * leaves.count()
    # Every claim carries its source.
    claims = ProgressUpdate.objects.filter(status__in=["done", "partially_done"], from_indicators=False)
    assert claims.exists()
    assert not claims.filter(evidence__isnull=True).exists()
    # Indicators with measurements, and actions that derive their progress from them.
    tree = Action.objects.get(text__startswith="Raddoppiare il progetto")
    assert tree.progress_from_indicators
    assert tree.indicators.get().measurements.count() == 5
    assert (tree.status, tree.progress) == ("done", 100)
    assert Indicator.objects.count() == 4
    # The whole history is chained and verifies.
    for mandate in Mandate.objects.all():
        assert ledger.verify(mandate).ok
        assert ledger.verify(mandate).count == LedgerEntry.objects.filter(mandate=mandate).count() > 40


def test_load_demo_is_idempotent(var_dir, capsys):
    call_command("load_demo")
    first = counts()
    first_output = capsys.readouterr().out
    call_command("load_demo")
    assert counts() == first
    second_output = capsys.readouterr().out
    assert "Già presente" in second_output
    assert first_output.splitlines()[-1] == second_output.splitlines()[-1]


def test_the_printed_demo_login_works(var_dir, capsys):
    call_command("load_demo")
    line = capsys.readouterr().out.strip().splitlines()[-1]
    password = line.split("password «")[1].split("»")[0]
    client = Client()
    assert client.login(username="demo", password=password)
    assert client.get("/admin/programs/action/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403
