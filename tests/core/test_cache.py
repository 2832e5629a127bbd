"""The Redis cache backend."""

import pytest
from django.conf import settings
from django.core.cache import cache

pytestmark = pytest.mark.skipif(
    not settings.REDIS_URL, reason="the cache is Redis only with REDIS_URL"
)


def test_values_round_trip_through_redis():
    cache.set("cache-test:price", 350_000)
    cache.set("cache-test:entry", (7, 24))
    assert cache.get_many(["cache-test:price", "cache-test:entry", "cache-test:none"]) == {
        "cache-test:price": 350_000,
        "cache-test:entry": (7, 24),
    }


def test_one_redis_client_serves_every_call():
    # Django's own backend builds a client (and its callback table) for every call.
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b", write=True) is client
