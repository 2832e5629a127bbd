"""Running the same work from many threads at once, each on its own database connection."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

# Row locks only mean something on PostgreSQL: SQLite serialises every writer.
requires_row_locks = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises)"
)


def run_at_once(count: int, work: Callable, *, timeout: float = 120) -> list:
    """Call work(index, barrier) in `count` threads; return each result or the error it raised.

    The work waits on the barrier when it is ready, so every thread hits the code under test
    together; each thread closes its own database connection when done.
    """
    results: list = [None] * count
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            results[index] = work(index, barrier)
        except Exception as error:  # noqa: BLE001 - reported by the caller's assertions
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


def all_at_once(count: int, work: Callable[[int], object], *, timeout: float = 120) -> list:
    """Like run_at_once, for work that needs no preparation: the threads start it together."""

    def ready_then_work(index: int, barrier: threading.Barrier):
        barrier.wait()
        return work(index)

    return run_at_once(count, ready_then_work, timeout=timeout)
