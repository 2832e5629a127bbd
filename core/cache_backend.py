"""django-redis, with allauth's rate limits counted in this process while Redis is down.

django-redis answers every cache call as a miss while Redis is down (IGNORE_EXCEPTIONS), so
pages are built from the database. allauth's rate limits would then refuse every login: each
limit first takes a lock with `cache.add`, and a lock it cannot take counts as over the limit.
Their keys (and only theirs) go to this process's memory instead while Redis is down: logins
work and are still limited, per process, which is looser but never open.
"""

import logging

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted

RATE_LIMIT_PREFIX = "allauth:rl:"


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self.memory = LocMemCache("rate-limits", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
        self.outage_logger = logging.getLogger(
            getattr(settings, "DJANGO_REDIS_LOGGER", "django_redis.cache")
        )

    def _rate_limit(self, method: str, key: str, *args, **kwargs):
        try:
            return getattr(self.client, method)(key, *args, **kwargs)
        except ConnectionInterrupted as error:
            self.outage_logger.warning("Rate limits count in this process", exc_info=error)
            return getattr(self.memory, method)(key, *args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        if key.startswith(RATE_LIMIT_PREFIX):
            return self._rate_limit("add", key, value, timeout=timeout, version=version)
        return super().add(key, value, timeout=timeout, version=version, **kwargs)

    def get(self, key, default=None, version=None, **kwargs):
        if key.startswith(RATE_LIMIT_PREFIX):
            return self._rate_limit("get", key, default=default, version=version)
        return super().get(key, default=default, version=version, **kwargs)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        if key.startswith(RATE_LIMIT_PREFIX):
            return self._rate_limit("set", key, value, timeout=timeout, version=version)
        return super().set(key, value, timeout=timeout, version=version, **kwargs)

    def delete(self, key, version=None, **kwargs):
        if key.startswith(RATE_LIMIT_PREFIX):
            return bool(self._rate_limit("delete", key, version=version))
        return super().delete(key, version=version, **kwargs)
