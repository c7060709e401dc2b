from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_every_english_string_is_translated_and_compiled():
    po = (LOCALE / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]
    untranslated = [
        e for e in entries if e.rstrip().endswith('msgstr ""') or 'msgstr[0] ""' in e or "#, fuzzy" in e
    ]
    assert untranslated == []
    mo = LOCALE / "en" / "LC_MESSAGES" / "django.mo"
    assert mo.stat().st_mtime >= (LOCALE / "en" / "LC_MESSAGES" / "django.po").stat().st_mtime - 1
