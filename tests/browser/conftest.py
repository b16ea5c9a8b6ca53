"""Headless Chromium from Debian, driven by Playwright, against a live test server."""

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe


@pytest.fixture
def demo_data(transactional_db: None) -> None:
    """Load the EU-LAC demo into the live server's database."""
    from django.core.management import call_command

    call_command("demo_load", verbosity=0)


@pytest.fixture
def page(browser: Any, live_server: Any, demo_data: None) -> Iterator[Any]:
    """Open a fresh browser context (no cookies) on the live server."""
    # Reduced motion turns off Bootstrap's colour transitions, so axe measures a focused
    # button's final colours, not a frame halfway through its transition.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", reduced_motion="reduce")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def axe_violations(axe: Axe, tab: Any) -> list[str]:
    """Run axe-core on the page and describe each violation in one line."""
    results = axe.run(tab)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes: "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        + ")"
        for violation in results.response["violations"]
    ]
