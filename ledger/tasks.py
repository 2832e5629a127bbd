"""Ledger jobs for the worker: thin wrappers that take ids and call one service."""

from celery import shared_task

from . import services


@shared_task
def record_missing_sales_task() -> int:
    """Credit completed sub-orders whose ledger entries a lost signal left unwritten."""
    return services.record_missing_sales()
