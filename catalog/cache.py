"""The catalog version and the keys of everything cached from the catalog.

Every cached catalog part is stored under the current version; a write that changes what buyers
see calls `bump_catalog_version()` after commit (the services do, the admin through them), and
every cached part is stale at once. Templates key their `{% cache %}` fragments on the
`catalog_version` and `catalog_cache_seconds` values of `fragment_context()`.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

CATALOG_VERSION_KEY = "catalog:version"
# Cached parts live this long at most; any listing edit makes them stale at once anyway.
CACHE_SECONDS = 600


def _fresh_version() -> int:
    # Started from the clock (microseconds), so a version never repeats after the cache is
    # cleared: what a process remembers of an old version can never pass for the new one.
    return time.time_ns() // 1000


def catalog_version() -> int:
    """The current version of the public catalog; part of every cached page's key.

    While the cache is down (every read a miss) each call is a fresh version: nothing is read
    from the cache that an edit could have made stale.
    """
    version = cache.get(CATALOG_VERSION_KEY)
    if version is None:
        fresh = _fresh_version()
        cache.add(CATALOG_VERSION_KEY, fresh, timeout=None)
        version = cache.get(CATALOG_VERSION_KEY) or fresh
    return int(version)


def catalog_version_with(key: str) -> tuple[int, object]:
    """The catalog version and the cache entry under `key`, in one cache round trip."""
    found = cache.get_many([CATALOG_VERSION_KEY, key]) or {}
    version = found.get(CATALOG_VERSION_KEY)
    return (catalog_version() if version is None else int(version)), found.get(key)


def bump_catalog_version() -> int:
    """Make every cached catalog page stale (call after any listing or shop edit)."""
    try:
        version = cache.incr(CATALOG_VERSION_KEY)
    except ValueError:
        version = None  # the key was missing (cache cleared or evicted)
    if version is None:
        # Start again above any old version; while the cache is down, this version is the
        # fresh one that catalog_version() gives too.
        fresh = _fresh_version()
        cache.add(CATALOG_VERSION_KEY, fresh, timeout=None)
        version = cache.get(CATALOG_VERSION_KEY) or fresh
    return int(version)


def is_enabled() -> bool:
    """Whether catalog pages and fragments are cached at all (CATALOG_PAGE_CACHE)."""
    return settings.CATALOG_PAGE_CACHE


def fragment_context(version: int | None = None) -> dict:
    """What `{% cache %}` fragments of catalog templates key on: the version and a lifetime.

    With caching off the lifetime is 0, so a fragment is rendered every time.
    """
    if not is_enabled():
        return {"catalog_version": 0, "catalog_cache_seconds": 0}
    return {
        "catalog_version": catalog_version() if version is None else version,
        "catalog_cache_seconds": CACHE_SECONDS,
    }


def page_key(full_path: str, language: str) -> str:
    """The key of a whole page kept for signed-out visitors (stored with its version)."""
    digest = hashlib.sha256(full_path.encode()).hexdigest()[:32]
    return f"catalog:page:{language}:{digest}"


def facets_key(version: int) -> str:
    """The key of the taxonomy facets of one catalog version."""
    return f"catalog:facets:{version}"


def vocabulary_key(version: int) -> str:
    """The key of the search vocabulary (catalog.vocabulary) of one catalog version."""
    return f"catalog:vocabulary:{version}"
