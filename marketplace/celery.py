"""The Celery app; its settings come from Django settings with the CELERY_ prefix."""

import os

from celery import Celery, signals

from core.logging import connect_task_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
connect_task_signals()


@signals.setup_logging.connect
def use_django_logging(**_) -> None:
    """Workers and beat log through Django's LOGGING, so LOG_FORMAT=json applies to them too."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
