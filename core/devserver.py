"""`make run`: the web server, a Celery worker and beat together; Ctrl-C stops all three."""

import argparse
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _die_with_parent() -> None:
    """In the child: get SIGTERM if the dev server itself dies, so nothing is left running."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    # Each child gets its own process group: Ctrl-C reaches only this script, which then stops
    # the children in order instead of all of them racing on the same signal.
    return subprocess.Popen(
        command, cwd=BASE_DIR, env=env, start_new_session=True, preexec_fn=_die_with_parent
    )


def _stop(processes: dict[str, subprocess.Popen], *, grace: float = 20.0) -> None:
    """SIGTERM every child, wait up to `grace` seconds, then SIGKILL its whole group."""
    for process in processes.values():
        if process.poll() is None:
            # The main process only: a Celery worker then stops its own pool (warm shutdown).
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for name, process in processes.items():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"  {name} did not stop in time; killing it.", file=sys.stderr)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def _banner(url: str) -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    import django

    django.setup()
    from demo import catalog as demo

    lines = [
        "",
        f"  Batik Kutim is running at {url}",
        f"  Demo logins (password for all: {demo.DEMO_PASSWORD}):",
        f"    cooperative admin  {demo.ADMIN_EMAIL}  ({url}admin/)",
        f"    buyer              {demo.BUYER_EMAIL}",
        *(f"    artisan            {maker.email}  ({maker.shop})" for maker in demo.MAKERS),
        "  Emails are written to var/emails/. Press Ctrl-C to stop the web server, worker and beat.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()
    python = sys.executable
    var = BASE_DIR / "var"
    var.mkdir(exist_ok=True)
    url = f"http://{args.host}:{args.port}/"
    env = {**os.environ, "SITE_URL": url.rstrip("/"), "PYTHONUNBUFFERED": "1"}
    commands = {
        "web": [python, "manage.py", "runserver", f"{args.host}:{args.port}", "--noreload"],
        "worker": [
            python, "-m", "celery", "-A", "marketplace", "worker",
            "--loglevel=INFO", "--concurrency=2", "--hostname=worker@%h",
        ],
        "beat": [
            python, "-m", "celery", "-A", "marketplace", "beat", "--loglevel=INFO",
            f"--schedule={var / 'celerybeat-schedule'}",
        ],
    }  # fmt: skip

    stopping = False

    def request_stop(signum, _frame):
        nonlocal stopping
        stopping = True

    for signum in STOP_SIGNALS:
        signal.signal(signum, request_stop)

    processes = {name: _start(command, env) for name, command in commands.items()}
    status = 0
    try:
        if _wait_until_up(url, processes["web"]):
            print(_banner(url), flush=True)
        while not stopping:
            exited = [name for name, process in processes.items() if process.poll() is not None]
            if exited:
                print(f"Stopping because {', '.join(exited)} exited.", file=sys.stderr)
                status = 1
                break
            time.sleep(0.3)
    finally:
        # A second Ctrl-C while stopping must not leave children behind: ignore it.
        for signum in STOP_SIGNALS:
            signal.signal(signum, signal.SIG_IGN)
        print("\n  Stopping web, worker and beat...", flush=True)
        _stop(processes)
        print("  Stopped.", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
