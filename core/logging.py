"""Structured logs: one line per request and per Celery task, plain or JSON (LOG_FORMAT=json)."""

import json
import logging
import time
from contextvars import ContextVar
from datetime import UTC, datetime

# The id of the request being served, so every line logged while serving it can carry it.
request_id_var: ContextVar[str] = ContextVar("request_id", default="")

# Fields a log call may pass with `extra=`; both formatters show them after the message.
FIELDS = (
    "method", "path", "status", "duration_ms", "user_id", "client", "request_id",
    "task", "task_id", "state", "runtime_ms",
)  # fmt: skip

request_logger = logging.getLogger("marketplace.request")
task_logger = logging.getLogger("marketplace.task")


class RequestIdFilter(logging.Filter):
    """Adds the current request id to every record that has none."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


class CacheOutageFilter(logging.Filter):
    """While the cache is down, one warning a minute saying so, not a traceback per cache call.

    django-redis logs each call it answers without Redis (DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS)
    with its traceback; on a busy site that would be thousands of lines a minute.
    """

    MESSAGE = (
        "The cache is down (%s): pages are built from the database and login rate limits "
        "count in each process until it is back"
    )

    def __init__(self, seconds: float = 60) -> None:
        super().__init__()
        self.seconds = seconds
        self.last_at = float("-inf")

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now - self.last_at < self.seconds:
            return False
        self.last_at = now
        error = record.exc_info[1] if record.exc_info else None
        cause = (error.__cause__ or error) if error else None
        record.msg = self.MESSAGE
        record.args = (f"{type(cause).__name__}: {cause}" if cause else "no answer",)
        record.exc_info = record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class PlainFormatter(logging.Formatter):
    """`time level logger message key=value ...`, easy to read in a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        pairs = [
            f"{name}={getattr(record, name)}"
            for name in FIELDS
            if getattr(record, name, "") not in ("", None)
        ]
        return f"{line} {' '.join(pairs)}" if pairs else line


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value not in ("", None):
                data[name] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


# Celery: one line per task run. Start times are kept per task id between the two signals.
_task_started: dict[str, float] = {}


def task_started(task_id: str = "", **_) -> None:
    _task_started[task_id] = time.monotonic()


def task_finished(task_id: str = "", task=None, state: str | None = None, **_) -> None:
    started = _task_started.pop(task_id, None)
    runtime_ms = round((time.monotonic() - started) * 1000, 1) if started is not None else None
    name = getattr(task, "name", "?")
    state = state or "UNKNOWN"
    task_logger.log(
        logging.INFO if state == "SUCCESS" else logging.WARNING,
        "task",
        extra={"task": name, "task_id": task_id, "state": state, "runtime_ms": runtime_ms},
    )


def connect_task_signals() -> None:
    """Log every task run; called once by the Celery app."""
    from celery import signals

    signals.task_prerun.connect(task_started, weak=False, dispatch_uid="log-task-start")
    signals.task_postrun.connect(task_finished, weak=False, dispatch_uid="log-task-end")
