"""Checks that the services the site depends on answer."""

from celery import current_app
from django.db import connection


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_broker() -> None:
    # The project's app (marketplace/celery.py), made current when Django loads `marketplace`.
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        conn.default_channel  # noqa: B018 - opening a channel proves the broker answers


CHECKS = {"database": check_database, "broker": check_broker}


def run_checks() -> dict[str, str]:
    """Return each service's state: "ok" or the error it raised."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means the service is unhealthy
            results[name] = f"error: {exc.__class__.__name__}: {exc}"[:300]
    return results
