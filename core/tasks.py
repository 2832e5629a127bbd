"""Site-wide periodic jobs."""

from celery import shared_task
from django.core import management
from django.utils import timezone

from .models import Heartbeat


@shared_task
def heartbeat_task(name: str = "worker") -> None:
    """Record in the database that a worker ran a task, so health pages can tell it is alive."""
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})


@shared_task
def clear_sessions_task() -> None:
    """Delete expired sessions."""
    management.call_command("clearsessions")
