"""In real Chromium the Content-Security-Policy blocks nothing of ours: htmx loads and runs, and no
violation is reported on the pages a visitor walks through."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_policy_blocks_nothing_of_ours(browser, live_server, demo):
    violations = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    page = context.new_page()
    page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else None)
    for path in ["/", "/valenza/", "/valenza/dati-aperti/", "/accounts/login/", "/api/v1/docs"]:
        response = page.goto(live_server.url + path)
        assert response.status == 200
        assert "script-src 'self'" in response.headers["content-security-policy"]
    page.goto(live_server.url + "/valenza/actions/")
    loaded = page.evaluate("typeof window.htmx")
    context.close()
    assert loaded == "object"  # our own script ran under the policy
    assert violations == []
