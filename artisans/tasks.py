"""Background jobs for shops: ending vacations whose return date has passed."""

from celery import shared_task


@shared_task
def end_past_vacations_task() -> None:
    """Reopen shops whose vacation return date has passed."""
    from .services import end_past_vacations

    end_past_vacations()
