"""A local-memory cache that writes down each call made of it: the round trips a page costs."""

from django.core.cache.backends.locmem import LocMemCache

CALLS: list[str] = []


def _counted(name: str):
    def call(self, *args, **kwargs):
        if self.answering:  # Django's get_many() of this backend calls get() for each key
            return getattr(LocMemCache, name)(self, *args, **kwargs)
        CALLS.append(name)
        self.answering = True
        try:
            return getattr(LocMemCache, name)(self, *args, **kwargs)
        finally:
            self.answering = False

    return call


CountingCache = type(
    "CountingCache",
    (LocMemCache,),
    {
        "answering": False,
        **{
            name: _counted(name)
            for name in (
                "get",
                "get_many",
                "has_key",
                "set",
                "set_many",
                "add",
                "delete",
                "delete_many",
                "incr",
                "touch",
            )  # fmt: skip
        },
    },
)
