"""Sending jobs to the worker without ever failing the request or the sweep that asks.

The one way to queue work. A message that cannot reach the broker is logged and dropped: every
such job leaves its mark in the database (an order still unrouted, a refund not yet sent, an
email waiting in the outbox, ...), and a periodic sweep sends it again from there. Notices are
not jobs: they are written in the caller's transaction (`notifications.services.notify`), and
only their sending waits for the worker.
"""

import logging
from collections.abc import Iterable

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def send(task: Task, *args) -> bool:
    """Enqueue `task(*args)` now; False (and a log line) when the broker cannot be reached.

    It answers at once either way: no retry here, and none in the connection (the broker's
    transport options set `max_retries` to 0), so a request never waits for a broker outage.
    """
    try:
        task.apply_async(args, retry=False)
    except Exception:
        logger.warning("Could not enqueue %s%s; a sweep will send it.", task.name, args)
        return False
    return True


def send_after_commit(task: Task, *args) -> None:
    """Enqueue `task(*args)` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send(task, *args))


def send_each(task: Task, ids: Iterable) -> int:
    """A sweep's sending: `task(id)` for each id, stopping at the first the broker refuses."""
    sent = 0
    for pk in ids:
        if not send(task, pk):
            break
        sent += 1
    return sent
