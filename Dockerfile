# The marketplace image: one image for web (gunicorn), worker and beat (see docker-compose.yml).
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var

# gettext for compilemessages; psycopg and Pillow come as wheels and need nothing else.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 app

WORKDIR /app

# Dependencies first, pinned by requirements.lock, so code changes do not reinstall them.
COPY pyproject.toml requirements.lock README.md ./
RUN pip install -c requirements.lock .

COPY . .

# Translations and hashed, compressed static files are baked into the image. Production
# settings refuse to load without a secret, hosts and mail server: build-only dummies here.
RUN DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY=build-only-dummy-secret-never-used-at-runtime-0123456789 \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    EMAIL_HOST=build.invalid \
    REDIS_URL=redis://build.invalid:6379/0 \
    sh -c "python manage.py compilemessages --ignore=.venv -v0 && python manage.py collectstatic --no-input -v0" \
    && mkdir -p /app/var/media \
    && chown -R app:app /app/var

USER app
EXPOSE 8000

CMD ["gunicorn", "marketplace.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
