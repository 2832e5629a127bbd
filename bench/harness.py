"""What every benchmark shares: the production-like environment, gunicorn, wrk and a tiny HTTP client.

Nothing here imports the app: the site is driven over HTTP, as a buyer's browser drives it.
"""

import http.client
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench/results"
PYTHON = str(BASE_DIR / ".venv/bin/python")
WRK_SCRIPT = BASE_DIR / "bench/wrk/pages.lua"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/batik_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
# One secret for the whole run, so a session made by the bench process is valid in gunicorn.
SECRET_KEY = secrets.token_urlsafe(60)


def progress(label: str, done: int, total: int) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    end = "\n" if done >= total else ""
    print(
        f"\r{label:<28} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
        end=end,
        flush=True,
    )


def production_workers() -> int:
    """The web worker count of the production setup, read from docker-compose.yml (web service)."""
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    match = re.search(r'"gunicorn",[^\]]*"--workers",\s*"(\d+)"', compose)
    if not match:
        sys.exit("docker-compose.yml: no `--workers N` on the gunicorn command; cannot match it.")
    return int(match.group(1))


def local_only(url: str) -> None:
    if urlparse(url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        sys.exit("The benchmark runs only against services on this machine.")


def ensure_database(url: str) -> None:
    """Create the benchmark's own PostgreSQL database when it does not exist yet."""
    import psycopg
    from psycopg import sql

    local_only(url)
    name = urlparse(url).path.lstrip("/")
    # Connected to the maintenance database: the bench's own may not exist yet.
    with psycopg.connect(url, dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}")


def production_env(*, database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """Production settings as docker-compose.yml runs them, pointed at the bench's own services.

    DEBUG off, the default (INFO) log level with JSON lines as in compose, the site behind a TLS
    proxy (every request carries X-Forwarded-Proto: https, as Caddy or nginx would send).
    """
    local_only(database_url)
    local_only(redis_url)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_TESTING": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_BEHIND_TLS_PROXY": "true",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": "bench",
        "LOG_FORMAT": "json",
        "EMAIL_HOST": "127.0.0.1",
        "BENCH_BARE_VIEW": "1",
    }
    for name in ("LOG_LEVEL", "CATALOG_PAGE_CACHE", "DATABASE_NAME"):
        env.pop(name, None)  # production defaults, whatever the caller's shell says
    env.update(extra)
    return env


def setup_django(env: dict[str, str]) -> None:
    """Configure Django in this process with the same settings gunicorn gets."""
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def collect_static(env: dict[str, str]) -> None:
    """Hashed static files into a fresh folder, as the Dockerfile does at build time."""
    if "STATIC_ROOT" not in env:
        env["STATIC_ROOT"] = tempfile.mkdtemp(prefix="bench-static-")
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )


class Server:
    """gunicorn as production runs it (same worker count), its log lines in bench/results/
    (this run's only: a 10-s slice logs some 20,000 lines, so runs must not pile up)."""

    def __init__(self, env: dict, port: int, *, app: str = "marketplace.wsgi:application"):
        self.port = port
        self.workers = production_workers()
        RESULTS.mkdir(parents=True, exist_ok=True)
        self.log = RESULTS / f"gunicorn-{port}.log"
        self.process = subprocess.Popen(
            [str(BASE_DIR / ".venv/bin/gunicorn"), app, "--bind", f"127.0.0.1:{port}",
             "--workers", str(self.workers), "--timeout", "60"],
            cwd=BASE_DIR, env=env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if Client(port).get("/bench/bare").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        sys.exit(f"gunicorn did not start (is BENCH_BARE_VIEW honoured?); see {self.log}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body


class Client:
    """A browser in miniature: keeps its cookies (Secure ones too: TLS ends at the proxy)."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None):
        self.port = port
        self.cookies = dict(cookies or {})

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method: str, path: str, data: dict | None = None) -> Response:
        from urllib.parse import urlencode

        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "Accept-Language": "id",
            "X-Forwarded-Proto": "https",
        }
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if method == "POST":
            body = urlencode(data or {}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            result = Response(response.status, response.headers, response.read())
        finally:
            conn.close()
        for header in result.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""') or "max-age=0" in header.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return result

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Response:
        return self.request("POST", path, data)


def wrk_binary() -> str:
    """wrk from Debian, installed when missing (needs root and apt), or a clear message."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is not installed; installing Debian's package (apt-get install -y wrk)...")
    command = ["apt-get", "install", "-y", "-q", "wrk"]
    if os.geteuid() != 0:
        command = ["sudo", "-n", *command]
    if subprocess.call(command, stdout=subprocess.DEVNULL) != 0:
        subprocess.call(["apt-get", "update", "-q"], stdout=subprocess.DEVNULL)
        subprocess.call(command, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        sys.exit(
            "The benchmark needs wrk (https://github.com/wg/wrk): `sudo apt-get install -y wrk` on "
            "Debian/Ubuntu, `brew install wrk` on macOS; then run `make bench` again."
        )
    return found


def wrk(
    port: int,
    paths: list[str],
    *,
    cookies: list[str] = (),
    seconds: float,
    connections: int,
    threads: int = 1,
) -> dict:
    """One slice of load: wrk cycles through `paths` (and `cookies`); requests/s and percentiles."""
    files = []
    for lines in (paths, cookies):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
            listing.write("\n".join(lines) + "\n")
        files.append(listing.name)
    try:
        output = subprocess.run(
            [wrk_binary(), "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
             "--timeout", "10s", "-s", str(WRK_SCRIPT), f"http://127.0.0.1:{port}",
             "--", *files],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        for name in files:
            os.unlink(name)
    line = next(x for x in output.splitlines() if x.startswith("{"))
    result = json.loads(line)
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]
