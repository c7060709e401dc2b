"""A citizen signs in with SPID in real Chromium, through the local federation's provider: the AgID button,
the provider's login and consent pages, back in the personal area. axe-core on our sign-in page, desktop
and phone; screenshots in $OPENMANDATO_SHOTS (default: the test's tmp dir)."""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from openmandato.tests.browser import axe_violations

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


def shot(page, name: str, tmp_path) -> Path:
    folder = Path(os.environ.get("OPENMANDATO_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_citizen_signs_in_with_spid_in_the_browser(browser, spid_on, rp_server, viewport, tmp_path):
    context = browser.new_context(viewport=viewport, locale="it-IT")
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(rp_server.url + "/area-personale/login/")
    assert axe_violations(page) == []
    page.get_by_text("Entra con SPID").click()
    assert page.get_by_role("link", name="Provider spento").is_visible()
    assert axe_violations(page) == []
    shot(page, f"spid-buttons-{viewport['width']}", tmp_path)

    page.get_by_role("link", name="Local test SPID").click()
    page.wait_for_url("**/oidc/op/authorization**")
    page.fill("input[name=username]", "mario")
    page.fill("input[name=password]", "mario-password")
    page.click("button[type=submit]#submit")
    page.wait_for_url("**/oidc/op/consent**")
    page.click("button[type=submit]#agree")
    page.wait_for_url(rp_server.url + "/area-personale/")
    shot(page, f"spid-signed-in-{viewport['width']}", tmp_path)
    assert get_user_model().objects.get().fiscal_code.code == "RSSMRA80A01H501U"
    context.close()
