import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from hypothesis import settings as hypothesis_settings

# Property tests draw the same examples on every run, so CI cannot flake on a rare draw.
hypothesis_settings.register_profile("puente", derandomize=True, deadline=None)
hypothesis_settings.load_profile("puente")

# Tests hash many passwords; the fast hasher keeps the suite quick (never used outside tests).
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

_USES_REDIS = settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
if _USES_REDIS:
    # Parallel workers share one Redis: each keeps to its own key prefix.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    settings.CACHES["default"]["KEY_PREFIX"] = f"puente-test-{worker}"


def _cache_empty() -> None:
    if _USES_REDIS:
        cache.delete_pattern("*")  # type: ignore[attr-defined]  # django-redis, prefix-aware
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    """Keep uploaded files out of the project folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Start every test in the default language: a request in Spanish leaves its thread in
    Spanish, and text a later test stores (an agenda's title) must not depend on the order."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Start every test with an empty cache, so rate limits never leak between tests."""
    _cache_empty()
    yield
    _cache_empty()


# Headless Chromium from Debian, shared by every test that drives a browser: one Playwright
# session per worker, since a second sync_playwright() in the same process cannot start.
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


@pytest.fixture(scope="session")
def axe() -> Axe:
    """Return the axe-core runner bundled with axe-playwright-python."""
    return Axe()


# Background work (results recomputation) runs at once, in the test's own thread.
settings.BACKGROUND_EAGER = True

# The demo's prioritisation dialogue has a crowd of 400 voters and 12 000 votes (about a
# second to load); tests that load the demo for other reasons get a crowd of 40, which still
# counts every organisation and both regions. tests/dialogues/test_demo_content.py loads
# the full one.
TEST_DEMO_VOTERS = 40


@pytest.fixture(autouse=True)
def _small_demo_crowd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("puente.dialogues.demo.N_VOTERS", TEST_DEMO_VOTERS)


@pytest.fixture(autouse=True)
def _one_minute_per_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep each test in the minute it started in: a visitor's cached page is keyed by the
    minute, so two requests either side of a minute's turn would miss the cache by chance.
    Tests of that turn set their own clock."""
    from puente.core import versions

    minute = versions.current_minute()
    monkeypatch.setattr(versions, "current_minute", lambda: minute)
