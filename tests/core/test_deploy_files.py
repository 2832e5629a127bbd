"""The Docker files agree with the project: entry points exist, every variable is documented.

Docker cannot run here, so these tests read docker-compose.yml (written in a plain YAML
subset: two-space indents, one key per line) and the Dockerfile line by line, and check what
they name against the code and settings.
"""

import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
COMPOSE = (BASE_DIR / "docker-compose.yml").read_text()
DOCKERFILE = (BASE_DIR / "Dockerfile").read_text()
SETTINGS_SOURCE = (BASE_DIR / "marketplace/settings.py").read_text()
ENV_EXAMPLE = (BASE_DIR / ".env.example").read_text()
# Variables the compose file sets only for containers that are not our app (PostgreSQL, ports).
COMPOSE_ONLY = {"POSTGRES_PASSWORD", "SITE_DOMAIN", "HTTP_PORT", "HTTPS_PORT"}


def _blocks(text: str, indent: int) -> dict[str, str]:
    """Keys at one indent level of a YAML mapping, each with the text nested under it."""
    blocks: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        depth = len(line) - len(line.lstrip(" "))
        if depth < indent:
            current = None
        key = re.match(rf"^ {{{indent}}}([\w.-]+):", line)
        if depth == indent and key:
            current = key.group(1)
            blocks[current] = [line]
        elif current is not None and depth > indent:
            blocks[current].append(line)
    return {name: "\n".join(lines) for name, lines in blocks.items()}


def _services() -> dict[str, str]:
    body = COMPOSE.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    return _blocks(body, 2)


def _app_definition() -> str:
    return _blocks(COMPOSE, 0)["x-app"]


def _command(block: str) -> list[str]:
    line = re.search(r"^\s+command: (\[.*\])$", block, re.M)
    assert line, block
    return json.loads(line.group(1))


def _settings_env_names() -> set[str]:
    pattern = (
        r"\b(?:env|env_bool|env_int|env_list)\(\s*\"([A-Z][A-Z0-9_]*)\""
        r"|os\.environ(?:\.get\(|\[)\s*\"([A-Z][A-Z0-9_]*)\""
    )
    return {a or b for a, b in re.findall(pattern, SETTINGS_SOURCE)}


def _env_example_names() -> set[str]:
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE, re.M))


def test_env_example_lists_every_variable_settings_read():
    names = _settings_env_names()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOWED_HOSTS"} <= names
    missing = sorted(names - _env_example_names())
    assert not missing, f".env.example lacks {missing}"


def test_every_env_example_variable_has_a_comment():
    lines = ENV_EXAMPLE.splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^[A-Z][A-Z0-9_]*=", line):
            above = lines[max(0, number - 6) : number]
            assert any(row.startswith("#") for row in above), line


def test_services_share_one_definition_with_the_right_commands():
    services = _services()
    assert {"web", "worker", "beat", "db", "redis", "migrate"} <= set(services)
    assert "x-app: &app" in COMPOSE
    for name in ("web", "worker", "beat", "migrate"):
        assert "<<: *app" in services[name], name
    assert _command(services["web"])[:2] == ["gunicorn", "marketplace.wsgi:application"]
    assert _command(services["worker"])[:4] == ["celery", "-A", "marketplace", "worker"]
    assert _command(services["beat"])[:4] == ["celery", "-A", "marketplace", "beat"]
    assert _command(services["migrate"]) == ["python", "manage.py", "migrate", "--no-input"]


def test_db_and_redis_have_healthchecks_and_the_app_waits_for_them():
    services = _services()
    assert "image: postgres:16" in services["db"]
    for name in ("db", "redis"):
        assert "healthcheck:" in services[name] and "test:" in services[name], name
    after_migrate = _blocks(COMPOSE, 0)["x-after-migrate"]
    assert re.search(r"db:\n\s+condition: service_healthy", after_migrate)
    assert re.search(r"redis:\n\s+condition: service_healthy", after_migrate)
    assert re.search(r"migrate:\n\s+condition: service_completed_successfully", after_migrate)
    for name in ("web", "worker", "beat"):
        assert "depends_on: *after-migrate" in services[name], name
    assert "condition: service_healthy" in services["migrate"]


def test_media_is_a_shared_volume():
    assert "- media:/app/var/media" in _app_definition()
    assert re.search(r"^volumes:\n(  \w+:\n)*  media:", COMPOSE, re.M)


def test_every_variable_in_compose_is_documented_and_the_app_reads_it():
    interpolated = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE))
    undocumented = sorted(interpolated - _env_example_names())
    assert not undocumented, f".env.example lacks {undocumented}"

    environment = _blocks(_app_definition(), 2)["environment"]
    app_names = set(re.findall(r"^    ([A-Z][A-Z0-9_]*):", environment, re.M))
    assert {"DATABASE_URL", "REDIS_URL", "DJANGO_DEBUG"} <= app_names
    unread = sorted((app_names | interpolated) - COMPOSE_ONLY - _settings_env_names())
    assert not unread, f"compose sets variables settings never read: {unread}"


def test_entry_points_named_by_docker_files_exist():
    # the Dockerfile's CMD and compose's web command serve marketplace.wsgi:application
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.M).group(1))
    assert cmd[:2] == ["gunicorn", "marketplace.wsgi:application"]
    module, attribute = cmd[1].split(":")
    assert callable(getattr(importlib.import_module(module), attribute))
    # celery -A marketplace finds the app configured from Django settings
    celery = importlib.import_module("marketplace.celery").app
    assert celery.main == "marketplace"
    assert celery.conf.task_acks_late is True
    assert importlib.import_module("marketplace.settings")
    assert os.environ.get("DJANGO_SETTINGS_MODULE", "marketplace.settings") == (
        "marketplace.settings"
    )


def test_dockerfile_builds_as_a_non_root_user_with_locked_dependencies():
    assert DOCKERFILE.startswith("#") and "FROM python:3.13-slim" in DOCKERFILE
    assert "pip install -c requirements.lock ." in DOCKERFILE
    assert (BASE_DIR / "requirements.lock").exists()
    assert "manage.py compilemessages" in DOCKERFILE
    assert "manage.py collectstatic --no-input" in DOCKERFILE
    users = re.findall(r"^USER (\S+)", DOCKERFILE, re.M)
    assert users and users[-1] not in {"root", "0"}
    assert DOCKERFILE.index("USER app") > DOCKERFILE.index("collectstatic")
    # the build's dummy secret is long enough for production settings to load
    secret = re.search(r"DJANGO_SECRET_KEY=(\S+)", DOCKERFILE).group(1)
    assert len(secret) >= 50


def _settings_in_subprocess(code: str, **env: str) -> str:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_TESTING", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="batik-kutim.id",
        EMAIL_HOST="smtp.batik-kutim.id",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("bucket", ["", "batik-media"])
def test_media_goes_to_s3_when_a_bucket_is_configured(bucket):
    name = _settings_in_subprocess(
        "from django.core.files.storage import default_storage;"
        "default_storage._setup();"
        "print(type(default_storage._wrapped).__module__, type(default_storage._wrapped).__name__)",
        AWS_STORAGE_BUCKET_NAME=bucket,
        AWS_S3_REGION_NAME="ap-southeast-3",
    )
    if bucket:
        assert name == "storages.backends.s3 S3Storage"
    else:
        assert name == "core.storage MediaStorage"  # local files (a FileSystemStorage)


def test_web_and_worker_keep_no_state_of_their_own_in_production():
    # with Redis configured as in docker-compose.yml
    output = _settings_in_subprocess(
        "from importlib import import_module;"
        "from django.conf import settings as s;"
        "store = import_module(s.SESSION_ENGINE).SessionStore;"
        "print(' '.join(c.__module__ for c in store.__mro__));"
        "print(s.CACHES['default']['BACKEND']);"
        "print(s.CELERY_BROKER_URL)",
        REDIS_URL="redis://redis:6379/0",
    )
    session_engines, cache_backend, broker = output.splitlines()
    # sessions live in the database (or the shared cache), never in a process or local file
    assert {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.cached_db",
    } & set(session_engines.split())
    assert cache_backend == "core.cache_backend.RedisCache"  # django-redis, outages ignored
    assert broker.startswith("redis://")


def test_readme_configuration_table_names_every_variable():
    readme = (BASE_DIR / "README.md").read_text()
    missing = sorted(name for name in _settings_env_names() if f"`{name}`" not in readme)
    assert not missing, f"README.md lacks {missing}"
