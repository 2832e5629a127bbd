"""Production settings: refuse to start without secrets, pass `check --deploy`, hash static files."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
SECRET = "x" * 20 + "-production-secret-for-the-deploy-check-" + "y" * 20


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_TESTING", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production(**extra: str) -> dict[str, str]:
    return {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "batik-kutim.id",
        "EMAIL_HOST": "smtp.batik-kutim.id",
        **extra,
    }


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_production())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="batik-kutim.id")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY=SECRET)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_sends_the_midtrans_server_key_only_over_https_or_to_this_machine():
    key = {"MIDTRANS_SERVER_KEY": "Mid-server-production"}
    refused = _manage("check", **_production(**key, MIDTRANS_API_BASE="http://midtrans.example"))
    local_fake = _manage("check", **_production(**key, MIDTRANS_API_BASE="http://127.0.0.1:8001"))

    assert refused.returncode != 0
    assert "MIDTRANS_API_BASE" in refused.stderr
    assert local_fake.returncode == 0, local_fake.stderr


def test_collectstatic_writes_hashed_compressed_files(tmp_path):
    result = _manage("collectstatic", "--no-input", "-v0", **_production(STATIC_ROOT=str(tmp_path)))
    assert result.returncode == 0, result.stderr
    hashed = [p.name for p in (tmp_path / "css").glob("site.*.css")]
    assert hashed, list((tmp_path / "css").iterdir())
    assert any(name.endswith(".css") for name in hashed)
    assert list((tmp_path / "css").glob("site.*.css.gz"))
