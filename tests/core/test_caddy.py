"""The production front: Debian's Caddy with the project's own Caddyfile, in front of gunicorn.

Photos and thumbnails come from the media folder with a year's cache and nosniff, static files
from whitenoise through the proxy, compressed; the admin works behind it; a transfer proof, kept
in the private folder, cannot be reached by any path.
"""

import gzip
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.catalog.imagefiles import jpeg_bytes
from tests.fake_servers import free_port

BASE_DIR = Path(settings.BASE_DIR)
SECRET = "x" * 20 + "-production-secret-for-the-caddy-test-" + "y" * 20

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(log.read_text(errors="replace"))
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(log.read_text(errors="replace"))


@pytest.fixture
def stack(tmp_path):
    """gunicorn of the project in production mode, and Caddy in front of it; yields Caddy's URL."""
    assert shutil.which("caddy"), "Debian's caddy must be installed (apt-get install caddy)"
    media, private, static = tmp_path / "media", tmp_path / "private", tmp_path / "static"
    app_port, proxy_port = free_port(), free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_TESTING", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_NAME=str(connection.settings_dict["NAME"]),
        MEDIA_ROOT=str(media),
        PRIVATE_MEDIA_ROOT=str(private),
        STATIC_ROOT=str(static),
        TRUSTED_PROXY_COUNT="1",
        EMAIL_HOST="smtp.invalid",
    )
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert collected.returncode == 0, collected.stderr
    app_log, proxy_log = tmp_path / "gunicorn.log", tmp_path / "caddy.log"
    app = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "marketplace.wsgi:application",
         "--bind", f"127.0.0.1:{app_port}", "--workers", "1"],
        cwd=BASE_DIR, env=env, stdout=app_log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    proxy = subprocess.Popen(
        ["caddy", "run", "--config", str(BASE_DIR / "Caddyfile"), "--adapter", "caddyfile"],
        cwd=tmp_path,
        env={
            **os.environ,
            "HOME": str(tmp_path),  # Caddy keeps its state under $HOME
            "SITE_DOMAIN": f"http://127.0.0.1:{proxy_port}",
            "MEDIA_ROOT": str(media),
            "UPSTREAM": f"127.0.0.1:{app_port}",
            "CADDY_ADMIN": "off",
        },
        stdout=proxy_log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(f"http://127.0.0.1:{app_port}/healthz", app, app_log)
        _wait_for(f"http://127.0.0.1:{proxy_port}/healthz", proxy, proxy_log)
        yield {
            "url": f"http://127.0.0.1:{proxy_port}",
            "media": media,
            "private": private,
            "static": static,
        }
    finally:
        for process in (proxy, app):
            process.terminate()
            process.wait(timeout=15)


def test_photos_static_files_and_the_admin_are_served_behind_caddy(stack):
    url = stack["url"]
    photo = stack["media"] / "products" / "kain-paku-3f9a.jpg"
    thumb = stack["media"] / "products" / "thumbs" / "kain-paku-3f9a-480.webp"
    for path in (photo, thumb):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(jpeg_bytes())

    # a product photo and its thumbnail, from the media folder, cached for a year, nosniff
    for path in (
        "/media/products/kain-paku-3f9a.jpg",
        "/media/products/thumbs/kain-paku-3f9a-480.webp",
    ):
        status, headers, body = _get(url + path)
        assert status == 200 and len(body) > 1000
        assert (
            "immutable" in headers["Cache-Control"]
            and "max-age=31536000" in headers["Cache-Control"]
        )
        assert headers["X-Content-Type-Options"] == "nosniff"

    # a static file: through the proxy from whitenoise, hashed, compressed when asked
    css = next(stack["static"].glob("css/site.*.css")).name
    status, headers, body = _get(f"{url}/static/css/{css}", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    assert b"--" in gzip.decompress(body)  # the design tokens
    assert (
        "max-age=315360000" in headers["Cache-Control"] or "immutable" in headers["Cache-Control"]
    )

    # the admin's login page works behind the proxy
    status, _headers, body = _get(f"{url}/admin/login/")
    assert status == 200 and b'name="password"' in body


def test_a_transfer_proof_is_not_reachable_by_its_path(stack):
    proof = stack["private"] / "payments" / "proofs" / "12-a1b2c3d4.jpg"
    proof.parent.mkdir(parents=True, exist_ok=True)
    proof.write_bytes(jpeg_bytes())
    for path in (
        "/media/payments/proofs/12-a1b2c3d4.jpg",
        "/media/../private/payments/proofs/12-a1b2c3d4.jpg",
        "/private/payments/proofs/12-a1b2c3d4.jpg",
        "/media/%2e%2e/private/payments/proofs/12-a1b2c3d4.jpg",
    ):
        status, _headers, body = _get(stack["url"] + path)
        assert status == 404 and body[:3] != b"\xff\xd8\xff", path
