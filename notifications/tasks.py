"""Notification jobs for the worker."""

from celery import shared_task
from django.db import OperationalError

from . import services, whatsapp


# Sent at the lowest priority (CELERY_TASK_ROUTES in settings), behind an order to route.
@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_pending_emails_task() -> int:
    """Send the emails waiting in the outbox; safe to run twice, also at once."""
    return services.send_pending_emails()


# The Cloud API down or unreachable: again after 10 s, 20 s, 40 s... (at most 5 minutes apart),
# and the beat sweep every minute after that; the messages wait in the outbox meanwhile.
@shared_task(
    autoretry_for=(OperationalError, whatsapp.Unavailable),
    retry_backoff=10,
    retry_backoff_max=300,
    max_retries=6,
)
def send_pending_whatsapp_task() -> int:
    """Send the WhatsApp messages waiting in the outbox; safe to run twice, also at once."""
    return services.send_pending_whatsapp()
