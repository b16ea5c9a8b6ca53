import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache, so rate limits never leak between tests."""
    cache.clear()
    yield
    cache.clear()
