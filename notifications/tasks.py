"""Notification jobs for the worker."""

from celery import shared_task
from django.db import OperationalError

from . import services


# Sent at the lowest priority (CELERY_TASK_ROUTES in settings), behind an order to route.
@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_pending_emails_task() -> int:
    """Send the emails waiting in the outbox; safe to run twice, also at once."""
    return services.send_pending_emails()
