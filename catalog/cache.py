"""The catalog's versions and the keys of everything cached from the catalog.

Every cached catalog part is stored under the current version; a write that changes what buyers
see calls `bump_catalog_version()` after commit (the services do, the admin through them), and
every cached part is stale at once. Stock has a version of its own, moved by every order that
takes or puts back pieces (`bump_stock_version()`, after commit): only the parts that show stock
(a product page, a list of what is in stock) are keyed on it, so an order leaves the rest of the
cache warm. Templates key their `{% cache %}` fragments on the `catalog_version`,
`stock_version` and `catalog_cache_seconds` values of `fragment_context()`.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache

CATALOG_VERSION_KEY = "catalog:version"
STOCK_VERSION_KEY = "catalog:stock-version"
# Cached parts live this long at most; any listing edit makes them stale at once anyway.
CACHE_SECONDS = 600


def _fresh_version() -> int:
    # Started from the clock (microseconds), so a version never repeats after the cache is
    # cleared: what a process remembers of an old version can never pass for the new one.
    return time.time_ns() // 1000


@dataclass(frozen=True)
class Versions:
    """The current catalog and stock versions."""

    catalog: int
    stock: int


def _current(key: str, found: object = None) -> int:
    """The version under `key` (`found` when it was just read), started afresh when missing.

    While the cache is down (every read a miss) each call is a fresh version: nothing is read
    from the cache that an edit could have made stale.
    """
    if found is None:
        found = cache.get(key)
    if found is None:
        fresh = _fresh_version()
        cache.add(key, fresh, timeout=None)
        found = cache.get(key) or fresh
    return int(found)


def _bump(key: str) -> int:
    try:
        version = cache.incr(key)
    except ValueError:
        version = None  # the key was missing (cache cleared or evicted)
    if version is None:
        # Start again above any old version; while the cache is down, this version is the
        # fresh one that _current() gives too.
        return _current(key)
    return int(version)


def catalog_version() -> int:
    """The current version of the public catalog; part of every cached page's key."""
    return _current(CATALOG_VERSION_KEY)


def current_versions() -> Versions:
    versions, _entries = versions_with([])
    return versions


def versions_with(keys: list[str], *, session=None) -> tuple[Versions, dict]:
    """The current versions and the cache entries under `keys`, in one cache round trip; a
    reader's `session` not read yet comes in the same one when the session engine can
    (core/sessions.py) and keeps sessions in this cache."""
    wanted = [CATALOG_VERSION_KEY, STOCK_VERSION_KEY, *keys]
    # Another session engine (settings.SESSION_ENGINE) reads the session on its own later.
    read_with = getattr(session, "read_with", None)
    if read_with is not None:
        found = read_with(wanted, using=DEFAULT_CACHE_ALIAS)  # the alias of `cache`
    else:
        found = cache.get_many(wanted)
    found = found or {}
    versions = Versions(
        catalog=_current(CATALOG_VERSION_KEY, found.get(CATALOG_VERSION_KEY)),
        stock=_current(STOCK_VERSION_KEY, found.get(STOCK_VERSION_KEY)),
    )
    return versions, {key: found[key] for key in keys if key in found}


def bump_catalog_version() -> int:
    """Make every cached catalog page stale (call after any listing or shop edit)."""
    return _bump(CATALOG_VERSION_KEY)


def bump_stock_version() -> int:
    """Make the cached parts that show stock stale (call after an order moved stock)."""
    return _bump(STOCK_VERSION_KEY)


def is_enabled() -> bool:
    """Whether catalog pages and fragments are cached at all (CATALOG_PAGE_CACHE)."""
    return settings.CATALOG_PAGE_CACHE


def fragment_context() -> dict:
    """What `{% cache %}` fragments of catalog templates key on: the versions and a lifetime.

    With caching off the lifetime is 0, so a fragment is rendered every time.
    """
    if not is_enabled():
        return {"catalog_version": 0, "stock_version": 0, "catalog_cache_seconds": 0}
    versions = current_versions()
    return {
        "catalog_version": versions.catalog,
        "stock_version": versions.stock,
        "catalog_cache_seconds": CACHE_SECONDS,
    }


def page_key(full_path: str, language: str, *, signed_out: bool = False) -> str:
    """The key of a whole page kept for every reader (stored with its versions); with
    `signed_out`, of the same page with a signed-out reader's bits already in."""
    digest = hashlib.sha256(full_path.encode()).hexdigest()[:32]
    return f"catalog:kept-page:{language}:{digest}" + (":signed-out" if signed_out else "")


def facets_key(version: int) -> str:
    """The key of the taxonomy facets of one catalog version."""
    return f"catalog:facets:{version}"


def vocabulary_key(version: int) -> str:
    """The key of the search vocabulary (catalog.vocabulary) of one catalog version."""
    return f"catalog:vocabulary:{version}"
