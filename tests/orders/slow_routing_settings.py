"""Settings of a test worker whose routing is slow: the project's, plus `slow_routing`."""

from marketplace.settings import *  # noqa: F403

CELERY_IMPORTS = ["tests.orders.slow_routing"]
