import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
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
def _empty_cache() -> Iterator[None]:
    """Start every test with an empty cache, so rate limits never leak between tests."""
    _cache_empty()
    yield
    _cache_empty()
