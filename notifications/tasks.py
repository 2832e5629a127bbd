"""Notification jobs for the worker."""

from celery import shared_task
from django.db import OperationalError

from . import services

# For tasks that write a notice with notify(): acknowledged after they ran, so a worker lost
# mid-task leaves the message to another; retried while the broker or mail server is away.
# Running one twice is safe, the notice's key being unique.
notice_task = shared_task(
    acks_late=True,
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=8,
)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_pending_emails_task() -> int:
    """Send the emails waiting in the outbox; safe to run twice, also at once."""
    return services.send_pending_emails()
