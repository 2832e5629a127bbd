"""The Celery app; its settings come from Django settings with the CELERY_ prefix."""

import os

from celery import Celery, signals

from core.logging import connect_task_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
connect_task_signals()


@signals.task_prerun.connect
@signals.task_postrun.connect
def close_old_database_connections(task=None, **_) -> None:
    """Around each task, what Django does around each request: drop broken or old connections.

    Not for a task run inline (eagerly): it shares its caller's connection and transaction.
    """
    from django.db import close_old_connections

    if task is None or not getattr(task.request, "is_eager", False):
        close_old_connections()


@signals.setup_logging.connect
def use_django_logging(**_) -> None:
    """Workers and beat log through Django's LOGGING, so LOG_FORMAT=json applies to them too."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
