"""Ledger jobs for the worker: thin wrappers that take ids and call one service."""

from celery import shared_task

from . import services


@shared_task
def record_missing_sales_task() -> int:
    """Credit delivered sub-orders whose ledger entries a lost signal left unwritten."""
    return services.record_missing_sales()


@shared_task
def create_payout_run_task() -> int | None:
    """The cooperative's scheduled payout run; returns the run's id (None when nobody was due)."""
    run = services.create_payout_run(by=None)
    return run.pk if run is not None else None
