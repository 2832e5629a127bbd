"""Django's cached-database sessions, readable in the same cache round trip as other keys.

A signed-out reader's kept catalog page needs their session (are they signed in, their cart
count) and the page from the same cache: `read_with()` gets both with one `get_many`, where the
session would otherwise cost a round trip of its own on every page. Everything else is Django's
`cached_db` engine, through its documented extension points (`cache_key_prefix`, `load()`).
"""

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.core.cache import caches


class SessionStore(CachedDBStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self.read_ahead = None  # the session's data, when read_with() brought it

    def read_with(self, keys: list[str], *, using: str = "default") -> dict:
        """`get_many(keys)` on the cache `using`, the session read in the same round trip
        when it is kept in that cache and has not been read yet."""
        reads_session = (
            using == settings.SESSION_CACHE_ALIAS
            and not self.accessed
            and self.session_key is not None
        )
        if not reads_session:
            return caches[using].get_many(keys)
        own_key = self.cache_key_prefix + self.session_key
        found = caches[using].get_many([*keys, own_key])
        self.read_ahead = found.pop(own_key, None)
        return found

    def load(self):
        data, self.read_ahead = self.read_ahead, None
        return data if data is not None else super().load()
