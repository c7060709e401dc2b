import pytest
from django.core.management import call_command


@pytest.fixture
def programs(db, valenza_path, cremona_path):
    call_command("import_program", str(valenza_path), verbosity=0)
    call_command("import_program", str(cremona_path), "--municipality", "Cremona", verbosity=0)


from openmandato.accountability.tests.conftest import world  # noqa: E402, F401 - shared fixture
from openmandato.portal.tests.test_browser import browser, page  # noqa: E402, F401 - browser fixtures
