"""Ledger jobs for the worker: thin wrappers that take ids and call one service."""

from celery import shared_task
from django.db import OperationalError

from . import services
from .models import Payout


@shared_task(
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    max_retries=8,
)
def notify_payout_paid_task(payout_id: int) -> int:
    """Tell the shop's members their payout was transferred; safe to run twice (unique keys)."""
    from .notices import notify_payout_paid

    payout = Payout.objects.select_related("shop").filter(pk=payout_id).first()
    if payout is None or payout.status != Payout.Status.PAID:
        return 0
    return notify_payout_paid(payout=payout)


@shared_task
def record_missing_sales_task() -> int:
    """Credit completed sub-orders whose ledger entries a lost signal left unwritten."""
    return services.record_missing_sales()
