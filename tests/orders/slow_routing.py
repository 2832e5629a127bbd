"""Test-only: in the worker that loads this module, routing pauses in the middle of its work.

Loaded through `slow_routing_settings` by the worker-kill test, and by nothing else: imported
into a process, it slows that process's routing tasks. Routing pauses right after its
first write (the sub-orders' routed_at stamp), inside its transaction and holding the order's
lock, so a worker killed there leaves a half-done routing that must not commit.
"""

import time
from contextlib import ExitStack

from celery.signals import task_postrun, task_prerun
from django.db import connection

PAUSE_SECONDS = 30
ROUTING_TASK = "orders.tasks.route_order_task"
PAUSED_LINE = "slow_routing: paused mid-routing"

_slowed: dict[str, ExitStack] = {}


def _pause_after_first_write():
    paused = False

    def wrapper(execute, sql, params, many, context):
        nonlocal paused
        result = execute(sql, params, many, context)
        if not paused and sql.lstrip().upper().startswith("UPDATE"):
            paused = True
            print(PAUSED_LINE, flush=True)  # The worker's log, which the test reads.
            time.sleep(PAUSE_SECONDS)
        return result

    return wrapper


@task_prerun.connect
def slow_down_routing(task_id=None, task=None, **_) -> None:
    if task is not None and task.name == ROUTING_TASK:
        stack = ExitStack()
        stack.enter_context(connection.execute_wrapper(_pause_after_first_write()))
        _slowed[task_id] = stack


@task_postrun.connect
def back_to_normal(task_id=None, **_) -> None:
    stack = _slowed.pop(task_id, None)
    if stack is not None:
        stack.close()
