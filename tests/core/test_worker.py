"""The smoke task runs on a real worker process, over the configured broker."""

import os

import pytest
from django.conf import settings
from django.db import connection

from core.models import Heartbeat
from core.tasks import heartbeat_task
from marketplace.celery import app as celery_app
from tests.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_real_worker_runs_the_smoke_task(celery_worker):
    heartbeat_task.delay("smoke-test")
    beat = wait_for(lambda: Heartbeat.objects.filter(name="smoke-test").first(), timeout=30)
    assert beat.beat_at is not None


def test_ci_really_uses_postgresql_and_redis():
    if os.environ.get("CI") != "true":
        pytest.skip("CI=true only: local runs may use the embedded defaults")
    assert connection.vendor == "postgresql"
    assert celery_app.connection_for_write().transport_cls == "redis"
    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()


def test_the_worker_keeps_its_database_connection_between_tasks(celery_worker):
    """A task must not pay for a new PostgreSQL connection (Celery closes it unless told not to)."""
    if connection.vendor != "postgresql":
        pytest.skip("reads PostgreSQL's list of connections")

    def worker_connections() -> set[tuple[int, object]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, backend_start FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return set(cursor.fetchall())

    # Connections an earlier test left behind (a live server's threads) are not the worker's.
    others = worker_connections()
    heartbeat_task.delay("first")
    wait_for(lambda: Heartbeat.objects.filter(name="first").exists(), timeout=30)
    after_first = wait_for(lambda: worker_connections() - others, timeout=5)
    for number in range(5):
        heartbeat_task.delay(f"next-{number}")
    wait_for(lambda: Heartbeat.objects.filter(name__startswith="next-").count() == 5, timeout=30)

    # the connection the first task opened is still open, and the next five opened at most one
    # more: one per worker child (the test worker runs two)
    final = worker_connections() - others
    assert after_first <= final and len(final) <= 2
