import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", verbosity=0, stdout=open(tmp_path / "out.txt", "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
