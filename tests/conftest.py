"""Shared fixtures: a private media folder per test, and a real Celery worker process."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from marketplace.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test writes uploads (public and private) into its own temporary folders."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _default_language():
    """A request under /en/ leaves English active in the thread: start every test in Indonesian."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits, cached pages and cards live in the caches: start each test with them empty."""
    from django.core.cache import caches

    for each in caches.all():
        each.clear()
    yield


REGIONS_FOR_TESTS = frozenset({"64", "31"})  # the villages of Kalimantan Timur and Jakarta


def _load_regions_for_tests() -> None:
    from regions.loading import load_regions
    from regions.models import District, Province, Regency, Village

    if not Village.objects.exists():
        models = {
            "Province": Province,
            "Regency": Regency,
            "District": District,
            "Village": Village,
        }
        load_regions(models=models, villages_of=REGIONS_FOR_TESTS)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker is not None and marker.kwargs.get("transaction")) or any(
        name in getattr(item, "fixturenames", ()) for name in ("transactional_db", "live_server")
    )


_database_blocker = []  # pytest-django's blocker, kept by the session fixture below


@pytest.fixture(scope="session", autouse=True)
def _keep_database_blocker(django_db_blocker):
    _database_blocker.append(django_db_blocker)
    yield
    _database_blocker.clear()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """The regions' migration loads them into the test database, but a transactional test empties
    every table when it ends: right after (when every fixture of the test is torn down), the
    provinces, kabupaten/kota and kecamatan are loaded back, with the villages of Kalimantan Timur
    and Jakarta (the whole country takes seconds), so the tests after it find them."""
    yield
    if nextitem is not None and _database_blocker and _is_transactional(item):
        with _database_blocker[0].unblock():
            _load_regions_for_tests()


@pytest.fixture
def eager_tasks():
    """Tasks run in this process when enqueued, so a test sees routing or a refund at once."""
    from marketplace.celery import app as celery_app

    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(scope="session")
def broker_env(tmp_path_factory) -> dict[str, str]:
    """Environment for processes that share this test run's broker.

    With Redis the run's own Redis URL is used; with the embedded filesystem broker a private
    folder is used so a stale message from another run is never picked up.
    """
    if settings.REDIS_URL:
        return {}
    folder = tmp_path_factory.mktemp("broker")
    for name in ("queue", "processed", "control"):
        (folder / name).mkdir()
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
    # Only the folders change: the other options (no retry on publish) stay as configured.
    celery_app.conf.broker_transport_options = {
        **celery_app.conf.broker_transport_options,
        **options,
    }
    reset_broker_connections()
    return {"CELERY_BROKER_DIR": str(folder)}


def reset_broker_connections() -> None:
    """Drop pooled broker connections so the next publish uses the current broker settings."""
    from kombu import pools

    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # kombu keeps its own registry of pools by connection; a closed one would be handed back.
    pools.reset()


@contextlib.contextmanager
def broker_down():
    """Point this process's Celery app at a port where no broker listens, as in an outage."""
    saved = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    reset_broker_connections()
    try:
        yield
    finally:
        celery_app.conf.broker_url = saved
        reset_broker_connections()


class WorkerProcess:
    """A `celery worker` subprocess on the test database; stop() and start() it at will."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "marketplace", "worker",
                "--loglevel=INFO", "--concurrency=2", "--pool=prefork", "--without-gossip",
                "--without-mingle", "--without-heartbeat", f"--hostname=test-{os.getpid()}@%h",
            ],
            cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Celery worker exited:\n{self.log()}")
            if b" ready." in self.log_path.read_bytes():
                return
            time.sleep(0.2)
        raise RuntimeError(f"Celery worker did not become ready:\n{self.log()}")

    def stop(self, *, kill: bool = False, quick: bool = False) -> None:
        """Warm shutdown by default; `quick` is Celery's cold shutdown; `kill` is SIGKILL."""
        if self.process is None or self.process.poll() is not None:
            return
        if kill:
            # SIGKILL the whole process group: the main process and its pool children.
            os.killpg(os.getpgid(self.process.pid), signal.SIGKILL)
        else:
            self.process.send_signal(signal.SIGQUIT if quick else signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


@pytest.fixture
def celery_worker(transactional_db, broker_env, tmp_path):
    """A real worker process that reads the test database; use with django_db(transaction=True)."""
    database = connection.settings_dict
    env = {
        **os.environ,
        **broker_env,
        "DATABASE_NAME": str(database["NAME"]),
        "DJANGO_TESTING": "1",
        "MEDIA_ROOT": settings.MEDIA_ROOT,
        "PRIVATE_MEDIA_ROOT": settings.PRIVATE_MEDIA_ROOT,
        "EMAIL_FILE_PATH": str(tmp_path / "emails"),
        "PYTHONUNBUFFERED": "1",
    }
    if settings.REDIS_URL:
        celery_app.control.purge()
    worker = WorkerProcess(env, tmp_path / "worker.log")
    worker.start()
    yield worker
    worker.stop(quick=True)


def wait_for(condition, *, timeout: float = 20.0, interval: float = 0.1):
    """Poll until condition() is truthy; return its value or fail with a clear message."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


def wait_for_email(folder, *, containing: str, timeout: float = 10.0) -> str:
    """The text of the first email the file backend wrote to `folder` that holds `containing`.

    The backend creates the file before it writes the message, so an empty file is not yet sent.
    """

    def written():
        texts = [path.read_text() for path in sorted(folder.glob("*.log"))]
        return next((text for text in texts if containing in text), None)

    return wait_for(written, timeout=timeout)
