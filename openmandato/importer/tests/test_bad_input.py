import pytest
from django.core.management import call_command

from openmandato.importer import services
from openmandato.importer.errors import ImportRejected
from openmandato.importer.parsing import parse_text
from openmandato.programs.models import Action, Mandate, Municipality, Section


@pytest.fixture
def bad_files(tmp_path):
    files = {
        "missing": tmp_path / "does-not-exist.txt",
        "empty": tmp_path / "empty.txt",
        "blank": tmp_path / "blank.txt",
        "binary": tmp_path / "noise.bin",
        "pdf": tmp_path / "program.pdf",
        "undecodable": tmp_path / "bad-encoding.txt",
        "unrecognisable": tmp_path / "recipe.txt",
    }
    files["empty"].write_bytes(b"")
    files["blank"].write_bytes(b"  \n\n \t\n")
    files["binary"].write_bytes(bytes(range(256)) * 4)
    files["pdf"].write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    files["undecodable"].write_bytes("Città di Prova\n".encode() + b"\x81\x8d\x8f\x90\x9d azioni\n")
    files["unrecognisable"].write_text("Ricetta del risotto\n\nSoffriggere la cipolla. Aggiungere il riso.\n")
    return files


EXPECTED = {
    "missing": "File non trovato",
    "empty": "Il file è vuoto",
    "blank": "Il file è vuoto",
    "binary": "binario",
    "pdf": "Il PDF è danneggiato o non leggibile",
    "undecodable": "Testo non decodificabile",
    "unrecognisable": "Nessun programma riconoscibile",
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_input_exits_non_zero_with_one_clear_line(run_cli, bad_files, case):
    result = run_cli("import_program", str(bad_files[case]))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert EXPECTED[case] in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_input_writes_nothing(bad_files, case, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_program", str(bad_files[case]), "--municipality", "Prova")
    assert exit_info.value.code != 0
    assert Municipality.objects.count() == 0


@pytest.mark.django_db
def test_a_document_without_municipality_is_refused(cremona_path, capsys):
    with pytest.raises(SystemExit):
        call_command("import_program", str(cremona_path))
    assert "--municipality" in capsys.readouterr().err
    assert Municipality.objects.count() == 0


@pytest.mark.django_db
def test_a_failure_half_way_leaves_nothing_written(valenza_path, monkeypatch):
    tree = parse_text(valenza_path.read_text(encoding="utf-8"))
    real_action = services._TreeWriter.action
    calls = []

    def failing_action(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 40:
            raise ImportRejected("simulated failure on the 40th action")
        return real_action(self, *args, **kwargs)

    monkeypatch.setattr(services._TreeWriter, "action", failing_action)
    with pytest.raises(ImportRejected):
        services.import_program(tree, source_sha256="x" * 64)
    assert len(calls) == 40
    assert (
        Municipality.objects.count(),
        Mandate.objects.count(),
        Section.objects.count(),
        Action.objects.count(),
    ) == (
        0,
        0,
        0,
        0,
    )


def test_windows_1252_text_is_read(tmp_path, valenza_path):
    from openmandato.importer.reading import read_document

    path = tmp_path / "valenza-cp1252.txt"
    path.write_bytes(valenza_path.read_text(encoding="utf-8").encode("cp1252"))
    document = read_document(path)
    assert "Città creative" in document.text
    assert len(list(parse_text(document.text).leaf_actions())) == 84
