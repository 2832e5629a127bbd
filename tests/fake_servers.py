"""Starting a local fake of an outside service (Stripe, Midtrans, WhatsApp) for a test run."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_fake(
    arguments: list[str], *, port: int, probe: str, folder: Path, cwd: Path = PROJECT_ROOT
) -> Iterator[str]:
    """Run `python <arguments>` until the block ends; yields its URL once `probe` answers.

    Its output goes to a log in `folder`, shown in the error if it never starts.
    """
    log_path = folder / "fake.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, *arguments], cwd=cwd, stdout=log, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{url}{probe}", timeout=1):
                    break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    raise RuntimeError(log_path.read_text()) from None
                time.sleep(0.05)
        try:
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)
