"""In real Chromium the Content-Security-Policy blocks nothing of ours: htmx loads and runs, and no
violation is reported on the pages a visitor walks through."""

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed")
def test_the_policy_blocks_nothing_of_ours(live_server, demo):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    violations = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="it-IT")
        page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else None)
        for path in ["/", "/valenza/", "/valenza/dati-aperti/", "/accounts/login/", "/api/v1/docs"]:
            response = page.goto(live_server.url + path)
            assert response.status == 200
            assert "script-src 'self'" in response.headers["content-security-policy"]
        page.goto(live_server.url + "/valenza/actions/")
        loaded = page.evaluate("typeof window.htmx")
        browser.close()
    assert loaded == "object"  # our own script ran under the policy
    assert violations == []
