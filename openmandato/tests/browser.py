"""What every browser test shares: Debian's Chromium, the flags it needs on this network, and axe-core.

axe-core is added to every new page as an init script (Playwright adds those through the DevTools
protocol, so our Content-Security-Policy, which forbids inline scripts, does not block the checker
while it still applies to everything the site itself serves)."""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent.parent / "portal" / "tests" / "vendor" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG = "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}"


@contextmanager
def chromium():
    """Launch headless Chromium; every context it opens carries axe-core."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs the Debian package")
        pytest.skip("Chromium is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        new_context = browser.new_context

        def new_context_with_axe(**options):
            context = new_context(**options)
            context.add_init_script(path=str(AXE))
            return context

        browser.new_context = new_context_with_axe
        yield browser
        browser.close()


def go(page, path: str):
    """Open a path of the live server and insist on a 200."""
    response = page.goto(page.base + path)
    assert response.status == 200, path
    return response


def run_axe(page) -> dict:
    """axe-core's WCAG 2.1 A/AA result for the page as it is now."""
    if page.evaluate("typeof axe === 'undefined'"):  # a page written with set_content, no navigation
        page.add_script_tag(path=str(AXE))
    return page.evaluate(f"axe.run(document, {WCAG})")


def axe_violations(page) -> list:
    """The violations as (rule, first three targets) pairs, readable in an assertion message."""
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in run_axe(page)["violations"]]
