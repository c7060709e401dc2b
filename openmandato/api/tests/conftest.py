import pytest
from django.core.cache import cache

from openmandato.accountability.tests.conftest import world  # noqa: F401 - shared fixture


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()
