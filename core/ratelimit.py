"""A small fixed-window limit in the cache, for endpoints that take uploads.

When the cache is down the limit lets the request through (django-redis ignores the outage and
answers None): an upload page must not stop working with Redis.
"""

from django.core.cache import cache


def allow(key: str, *, limit: int, seconds: int) -> bool:
    """Count one use of `key`; False once it was used `limit` times in this window."""
    cache_key = f"ratelimit:{key}"
    cache.add(cache_key, 0, timeout=seconds)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # the key expired between add and incr: a new window
        cache.add(cache_key, 1, timeout=seconds)
        used = 1
    return used is None or used <= limit
