"""`make run`: the web server, a Celery worker and beat together; Ctrl-C stops all three."""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()
    python = sys.executable
    var = BASE_DIR / "var"
    var.mkdir(exist_ok=True)
    env = {**os.environ, "SITE_URL": f"http://{args.host}:{args.port}"}
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
    processes = {
        name: subprocess.Popen(command, cwd=BASE_DIR, env=env) for name, command in commands.items()
    }
    print(f"\n  Batik Kutim is running at http://{args.host}:{args.port}/")
    print(
        "  Demo logins are listed above (and in README.md). Ctrl-C stops everything.\n", flush=True
    )

    def stop(*_):
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(process.poll() is None for process in processes.values()):
            time.sleep(0.5)
        failed = [name for name, process in processes.items() if process.poll() is not None]
        print(f"Stopped because {', '.join(failed)} exited.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
