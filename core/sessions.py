"""Django's cached-database sessions, readable in the same cache round trip as other keys.

A signed-out reader's kept catalog page needs their session (are they signed in, their cart
count) and the page from the same cache: `read_with()` gets both with one `get_many`, where the
session would otherwise cost a round trip of its own on every page. Everything else is Django's
`cached_db` engine; what this adds goes through its `cache_key_prefix`, `load()` / `aload()`
and the session's public `accessed` and `session_key`.
"""

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.core.cache import caches


class SessionStore(CachedDBStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        # (session key, data) when read_with() brought the session's data along.
        self.read_ahead: tuple[str, dict] | None = None

    def read_with(self, keys: list[str], *, using: str) -> dict:
        """`get_many(keys)` on the cache `using`, the session read in the same round trip
        when it is kept in that cache and has not been read yet."""
        session_key = self.session_key
        if using != settings.SESSION_CACHE_ALIAS or self.accessed or session_key is None:
            return caches[using].get_many(keys)
        own_key = self.cache_key_prefix + session_key
        try:
            found = caches[using].get_many([*keys, own_key])
        except Exception:
            # As Django's own load(): a cache that refuses the session's key must not fail
            # the page; the session is then read on its own.
            return caches[using].get_many(keys)
        data = found.pop(own_key, None)
        if data is not None:
            self.read_ahead = (session_key, data)
        return found

    def _take_read_ahead(self) -> dict | None:
        read_ahead, self.read_ahead = self.read_ahead, None
        if read_ahead is not None and read_ahead[0] == self.session_key:
            return read_ahead[1]
        return None

    def load(self):
        data = self._take_read_ahead()
        return data if data is not None else super().load()

    async def aload(self):
        data = self._take_read_ahead()
        return data if data is not None else await super().aload()
