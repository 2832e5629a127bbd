"""Optional error tracking with Sentry (SENTRY_DSN): errors of the web and of the worker.

Nothing personal is sent (no IP addresses, cookies or user emails: `send_default_pii` off), and
each event carries the request id the logs already have, so an error links to its log lines.
"""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from .logging import request_id_var


def tag_with_request_id(event: dict, hint: dict) -> dict:
    request_id = request_id_var.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def init_error_tracking(*, dsn: str, environment: str, release: str = "") -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=0.0,
        before_send=tag_with_request_id,
    )
