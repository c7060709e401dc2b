import pytest


@pytest.fixture(autouse=True)
def fresh_counters():
    """Rate-limit counters live in the per-process cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
