"""In real Chromium the Content-Security-Policy blocks nothing of ours: htmx loads and the filters work,
and no violation is reported on the pages a visitor walks through."""

import pytest

from openmandato.portal.tests.test_browser import ARGS, CHROMIUM, browser  # noqa: F401 - shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_policy_blocks_nothing_of_ours(browser, live_server, demo):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security" in message.text else None,
    )
    for path in [
        "/",
        "/valenza/",
        "/valenza/actions/",
        "/valenza/dati-aperti/",
        "/accounts/login/",
        "/api/v1/docs",
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200 and "script-src 'self'" in response.headers["content-security-policy"]
    page.goto(live_server.url + "/valenza/actions/")
    assert page.evaluate("typeof window.htmx") == "object"  # our own script ran
    context.close()
    assert violations == []
