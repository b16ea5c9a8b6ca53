"""Headless Chromium from Debian, driven by Playwright, against a live test server."""

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Start one headless Chromium for the session, or skip (fail in CI) when it is missing."""
    if CHROMIUM is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("PUENTE_BROWSER_TESTS") == "required":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def demo_data(transactional_db: None) -> None:
    """Load the EU-LAC demo into the live server's database."""
    from django.core.management import call_command

    call_command("demo_load", verbosity=0)


@pytest.fixture
def page(browser: Any, live_server: Any, demo_data: None) -> Iterator[Any]:
    """Open a fresh browser context (no cookies) on the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def axe() -> Axe:
    """Return the axe-core runner bundled with axe-playwright-python."""
    return Axe()


def axe_violations(axe: Axe, tab: Any) -> list[str]:
    """Run axe-core on the page and describe each violation in one line."""
    results = axe.run(tab)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes: "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        + ")"
        for violation in results.response["violations"]
    ]
