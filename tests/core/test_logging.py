"""One structured log line per request and per task, with ids to follow a request or a task."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from core.logging import JsonFormatter, PlainFormatter
from core.tasks import heartbeat_task
from tests.conftest import wait_for
from tests.factories import make_user

BASE_DIR = Path(settings.BASE_DIR)


def _request_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "marketplace.request"]


@pytest.mark.django_db
def test_each_request_gets_an_id_and_one_log_line(client, caplog):
    caplog.set_level(logging.INFO, logger="marketplace.request")
    response = client.get("/robots.txt")

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [record] = _request_records(caplog)
    assert (record.method, record.path, record.status) == ("GET", "/robots.txt", 200)
    assert record.request_id == request_id
    assert record.duration_ms >= 0
    assert record.user_id is None


def test_the_log_names_the_client_behind_the_proxy_not_the_proxy(client, caplog, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    caplog.set_level(logging.INFO, logger="marketplace.request")
    client.get("/robots.txt", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    [record] = _request_records(caplog)
    assert record.client == "203.0.113.9"  # the proxy's view; the client-written "1.2.3.4" is not


@pytest.mark.django_db
def test_an_incoming_request_id_is_kept_and_the_user_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="marketplace.request")
    user = make_user()
    client.force_login(user)
    response = client.get("/robots.txt", headers={"X-Request-ID": "lb-7f3a.42"})

    assert response["X-Request-ID"] == "lb-7f3a.42"
    [record] = _request_records(caplog)
    assert record.request_id == "lb-7f3a.42"
    assert record.user_id == user.pk


@pytest.mark.django_db
def test_a_forged_request_id_is_replaced(client):
    response = client.get("/robots.txt", headers={"X-Request-ID": "x" * 200})
    assert response["X-Request-ID"] != "x" * 200
    response = client.get("/robots.txt", headers={"X-Request-ID": "a b\tc"})
    assert " " not in response["X-Request-ID"]


@pytest.mark.django_db
def test_a_task_run_logs_name_id_state_and_runtime(caplog):
    caplog.set_level(logging.INFO, logger="marketplace.task")
    result = heartbeat_task.apply(args=["log-test"])

    [record] = [r for r in caplog.records if r.name == "marketplace.task"]
    assert record.task == "core.tasks.heartbeat_task"
    assert record.task_id == result.id
    assert record.state == "SUCCESS"
    assert record.runtime_ms >= 0
    assert "task=core.tasks.heartbeat_task" in PlainFormatter().format(record)


def test_json_formatter_writes_one_object_with_the_fields():
    record = logging.LogRecord(
        "marketplace.request", logging.INFO, __file__, 1, "request", (), None
    )
    record.method, record.path, record.status, record.request_id = "GET", "/", 200, "abc"
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["logger"] == "marketplace.request"
    assert (data["method"], data["status"], data["request_id"]) == ("GET", 200, "abc")


def test_log_format_json_makes_request_lines_json():
    # given the site started with LOG_FORMAT=json, when a request is served
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "Client().get('/robots.txt', headers={'X-Request-ID': 'json-check'})"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_TESTING"}
    env.update(LOG_FORMAT="json", DJANGO_SETTINGS_MODULE="marketplace.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    # then its log line is JSON with the request's fields
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    [line] = [entry for entry in lines if entry.get("request_id") == "json-check"]
    assert line["path"] == "/robots.txt"
    assert line["status"] == 200


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_logs_each_task(celery_worker):
    heartbeat_task.delay("worker-log-test")
    line = wait_for(
        lambda: next(
            (
                row
                for row in celery_worker.log().splitlines()
                if "task=core.tasks.heartbeat_task" in row and "state=SUCCESS" in row
            ),
            None,
        ),
        timeout=30,
    )
    assert "task_id=" in line and "runtime_ms=" in line
