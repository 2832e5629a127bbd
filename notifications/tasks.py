"""Notification jobs for the worker."""

from celery import shared_task
from django.db import OperationalError

from . import services


# The lowest priority (with Redis, 9 is the lowest, 0 the default): the worker takes a sending
# run only when no other job waits, so a burst of emails never queues ahead of an order to route.
# Brokers without priorities (the development filesystem one) ignore it.
@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, priority=9)
def send_pending_emails_task() -> int:
    """Send the emails waiting in the outbox; safe to run twice, also at once."""
    return services.send_pending_emails()
