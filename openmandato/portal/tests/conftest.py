import os

import pytest
from django.core.management import call_command


@pytest.fixture
def programs(db, valenza_path, cremona_path):
    call_command("import_program", str(valenza_path), verbosity=0)
    call_command("import_program", str(cremona_path), "--municipality", "Cremona", verbosity=0)


@pytest.fixture
def page(browser, live_server, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    yield page
    context.close()
