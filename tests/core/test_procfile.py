"""The Procfiles: production's (Heroku, Dokku, honcho) and `make run`'s, which honcho starts."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def _processes(name: str) -> dict[str, str]:
    lines = (BASE_DIR / name).read_text().splitlines()
    return dict(line.split(":", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_production_procfile_runs_gunicorn_on_the_platforms_port_a_worker_and_beat():
    processes = {name: command.split() for name, command in _processes("Procfile").items()}
    assert set(processes) == {"web", "worker", "beat"}
    # the same WSGI application the Dockerfile serves, on the port the platform gives
    assert processes["web"][:2] == ["gunicorn", "marketplace.wsgi:application"]
    assert "0.0.0.0:$PORT" in processes["web"]
    assert processes["worker"][:4] == ["celery", "-A", "marketplace", "worker"]
    assert processes["beat"][:4] == ["celery", "-A", "marketplace", "beat"]


def test_make_run_starts_procfile_dev_with_honcho():
    makefile = (BASE_DIR / "Makefile").read_text()
    run = makefile.split("\nrun: install\n", 1)[1].split("\n\n", 1)[0]
    assert "manage.py seed_demo" in run
    assert re.search(r"honcho start .*-f Procfile\.dev", run)
    assert set(_processes("Procfile.dev")) == {"web", "worker", "beat", "payments", "whatsapp"}
    # without real Midtrans keys or WhatsApp token their fakes start too; with them, not the fakes
    assert "RUN_PROCESSES := web worker beat $(RUN_PAYMENTS) $(RUN_WHATSAPP)" in makefile
    assert "RUN_PAYMENTS := payments" in makefile and "RUN_WHATSAPP := whatsapp" in makefile


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except OSError:
        return 0


def _alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.worker
def test_make_runs_processes_start_together_and_ctrl_c_stops_them_all(tmp_path):
    # given honcho running Procfile.dev on the embedded defaults, as `make run` does
    port, payments_port, whatsapp_port = _free_port(), _free_port(), _free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DATABASE_NAME", "REDIS_URL", "CELERY_BROKER_URL"}
    }
    environment.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        VAR_DIR=str(tmp_path),
        HOST="127.0.0.1",
        PYTHONUNBUFFERED="1",
        MIDTRANS_SERVER_KEY="SB-Mid-server-demo",
        MIDTRANS_API_BASE=f"http://127.0.0.1:{payments_port}",
        MIDTRANS_FAKE_PORT=str(payments_port),
        MIDTRANS_NOTIFICATION_URL=f"http://127.0.0.1:{port}/midtrans/notification/",
        WHATSAPP_TOKEN="demo-whatsapp-token",
        WHATSAPP_PHONE_NUMBER_ID="100000000000001",
        WHATSAPP_API_BASE=f"http://127.0.0.1:{whatsapp_port}",
        WHATSAPP_FAKE_PORT=str(whatsapp_port),
    )
    log_path = tmp_path / "honcho.log"
    with log_path.open("wb") as log:
        honcho = subprocess.Popen(
            [sys.executable, "-m", "honcho", "start", "--env", "/dev/null",
             "-f", "Procfile.dev", "-p", str(port)],
            cwd=BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        # then the web server answers, the worker is ready, beat schedules, both fakes answer
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            output = log_path.read_text(errors="replace")
            if (
                " ready." in output
                and "beat: Starting" in output
                and _get(f"http://127.0.0.1:{port}/healthz") == 200
                and _get(f"http://127.0.0.1:{payments_port}/simulator/") == 200
                and _get(f"http://127.0.0.1:{whatsapp_port}/") == 200
            ):
                break
            assert honcho.poll() is None, output
            time.sleep(0.3)
        else:
            pytest.fail(log_path.read_text(errors="replace"))
        groups = [int(pid) for pid in re.findall(r"started \(pid=(\d+)\)", output)]
        assert len(groups) == 5

        # when Ctrl-C reaches honcho
        honcho.send_signal(signal.SIGINT)
        honcho.wait(timeout=20)
    finally:
        if honcho.poll() is None:
            os.killpg(honcho.pid, signal.SIGKILL)

    # then nothing is left running: web, worker (with its pool), beat and both fakes
    deadline = time.monotonic() + 5
    while any(_alive(group) for group in groups) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(group) for group in groups), log_path.read_text(errors="replace")
    assert _get(f"http://127.0.0.1:{port}/healthz") == 0
    assert _get(f"http://127.0.0.1:{payments_port}/simulator/") == 0
    assert _get(f"http://127.0.0.1:{whatsapp_port}/") == 0
