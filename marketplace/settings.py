"""Settings for the Kutai Timur batik marketplace, read from the environment.

Development defaults need nothing installed: SQLite, local media, emails written to files and an
embedded Celery broker on the filesystem. Production (DJANGO_DEBUG off) refuses to start without
a real secret key and allowed hosts.
"""

import os
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from marketplace.csp import content_security_policy

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(env(name, str(default)))


DEBUG = env_bool("DJANGO_DEBUG", True)
TESTING = env_bool("DJANGO_TESTING", "pytest" in sys.modules)

_DEV_SECRET = "dev-only-insecure-secret-key-change-me"
SECRET_KEY = env("DJANGO_SECRET_KEY", _DEV_SECRET if DEBUG else "")
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else ""
)
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a long random value in production."
    )
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must list the site's host names in production."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django admin with the cooperative's own AdminSite (figures on its home, impact report).
    "cooperative.apps.CooperativeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.sites",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "accounts",
    "notifications",
    "artisans",
    "catalog",
    "orders",
    "reviews",
    "ledger",
    "procurement",
    "dashboard",
    "core",
    # Indonesia's provinces, regencies, districts and villages (Kemendagri codes).
    "regions",
    # Last: it reads every domain app (admin figures, impact report, the staff group's rights).
    "cooperative",
    # The demo data of `make run` (seed_demo, seed_demo_orders); no app imports it.
    "demo",
]

MIDDLEWARE = [
    # First, so its line times the whole request and every response gets an X-Request-ID.
    "core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"
ASGI_APPLICATION = "marketplace.asgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "notifications.context_processors.unread_notifications",
                "orders.context_processors.cart",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL (or anything dj-database-url knows) via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for the lock instead of failing while the worker writes beside the web process; test
    # in a file, not memory, so a worker process started by a test sees the test database.
    DATABASES["default"].update(
        OPTIONS={"timeout": 20, "transaction_mode": "IMMEDIATE"},
        CONN_MAX_AGE=0,
        TEST={"NAME": str(VAR_DIR / "test-db.sqlite3")},
    )
if env("DATABASE_NAME"):
    # Lets a worker process started by the test suite use the suite's test database.
    DATABASES["default"]["NAME"] = env("DATABASE_NAME")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing at full strength makes every test that logs in take a second.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Django's and allauth's backends, reading the signed-in user with the header's counts in one
# query (orders/auth_backends.py).
AUTHENTICATION_BACKENDS = [
    "orders.auth_backends.HeaderCountsModelBackend",
    "orders.auth_backends.HeaderCountsAuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# allauth: email is the login; verification is mandatory before an account can sell or log in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Batik Kutim] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Reverse proxies in front of the app (Caddy in docker-compose.yml is one): the client's address
# is read from X-Forwarded-For that many hops from the right (core/client_address.py), for the
# login limits and the logs. 0: the header is ignored, as any client can send it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("ACCOUNT_LOGIN_FAILED_RATE", "5/5m/ip,5/5m/key"),
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
# Google login is wired; it appears only when its keys are configured.
GOOGLE_CLIENT_ID = env("GOOGLE_CLIENT_ID")
GOOGLE_CLIENT_SECRET = env("GOOGLE_CLIENT_SECRET")
SOCIALACCOUNT_PROVIDERS = {
    "google": {
        "SCOPE": ["profile", "email"],
        "AUTH_PARAMS": {"access_type": "online"},
        "EMAIL_AUTHENTICATION": True,
        **(
            {"APPS": [{"client_id": GOOGLE_CLIENT_ID, "secret": GOOGLE_CLIENT_SECRET, "key": ""}]}
            if GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET
            else {}
        ),
    }
}
SOCIALACCOUNT_ONLY = False

# Internationalisation: Bahasa Indonesia first, English second; Kutai Timur keeps WITA time.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One way to write a date per language ("20 Des 2026", "20 Dec 2026"), not Django's "20 Des. 2026".
FORMAT_MODULE_PATH = ["marketplace.formats"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

# Static and media files. S3 through django-storages when its bucket is configured.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Files nobody may fetch by address (buyers' transfer proofs): served by a view that checks who
# asks. Locally a folder outside MEDIA_ROOT, on S3 a prefix whose links are signed and expire.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN") or None,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
        },
    }
    _private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_default_storage["OPTIONS"],
            "location": "private",
            "custom_domain": None,
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }
else:
    _default_storage = {"BACKEND": "core.storage.MediaStorage"}
    _private_storage = {"BACKEND": "core.storage.PrivateStorage"}
STORAGES = {
    "default": _default_storage,
    "private": _private_storage,
    # Hashed names need collectstatic, which tests do not run.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    if TESTING
    else {"BACKEND": "core.storage.StaticStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Email through Django 6.1's MAILERS: files in development, SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Batik Kutai Timur <noreply@batik-kutim.id>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if env("EMAIL_HOST"):
    _mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env("EMAIL_HOST"),
            "port": env_int("EMAIL_PORT", 587),
            "username": env("EMAIL_HOST_USER"),
            "password": env("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": 10,
        },
    }
elif not DEBUG:
    raise ImproperlyConfigured("EMAIL_HOST must be set in production: the site sends order email.")
else:
    _mailer = {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": env("EMAIL_FILE_PATH", str(VAR_DIR / "emails"))},
    }
MAILERS = {"default": _mailer}

# Cache and Celery broker: Redis when REDIS_URL is set; otherwise a local cache and kombu's
# filesystem transport, so `make run` needs no service.
REDIS_URL = env("REDIS_URL")
# A Redis outage is a cache miss, not an error: pages are built from the database meanwhile,
# and the logger (throttled by core.logging.CacheOutageFilter) says the cache is down.
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "marketplace.cache"


def redis_cache(location: str) -> dict:
    """django-redis; core.cache_backend keeps login rate limits in memory while Redis is down."""
    return {
        "BACKEND": "core.cache_backend.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "batik"),
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 2},
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
else:
    _file_cache = "django.core.cache.backends.filebased.FileBasedCache"
    CACHES = {"default": {"BACKEND": _file_cache, "LOCATION": str(VAR_DIR / "cache")}}
    BROKER_DIR = Path(env("CELERY_BROKER_DIR", str(VAR_DIR / "broker")))
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
    # Kombu's filesystem transport: in and out must be the same folder or no worker sees a message.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
    for _folder in ("queue", "processed", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
# A publish that cannot reach the broker gives up at once instead of retrying the connection
# (kombu's default took about 6 s per message with Redis down, and a checkout sends two): every
# job is re-sent by a sweep (core/enqueue.py). The worker's own reconnects keep their settings.
CELERY_BROKER_TRANSPORT_OPTIONS["max_retries"] = 0

# Product cards, rendered once per product, language and catalog version in each web process
# (keyed on the version, so an edit is never served stale): a list page of new cards costs
# no cache round trips. LRU, 10,000 cards (about 15 MB) per process.
CACHES["cards"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "product-cards",
    "OPTIONS": {"MAX_ENTRIES": 10_000},
}

CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
# A sending run of the outbox goes at the lowest priority (with Redis, 9 is the lowest, 0 the
# default): the worker takes one only when no other job waits, so a burst of emails never queues
# ahead of an order to route. Brokers without priorities (the filesystem one) ignore it.
CELERY_TASK_ROUTES = {
    "notifications.tasks.send_pending_emails_task": {"priority": 9},
    "notifications.tasks.send_pending_whatsapp_task": {"priority": 9},
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged only when done, and given back if its worker dies, so nothing is lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes the database connection after every task unless this is set, so
# each task would pay for a new PostgreSQL connection. Instead the worker keeps connections like
# the web process does: `marketplace.celery` closes them when unusable or older than
# CONN_MAX_AGE, before and after each task; the fixup still closes them every 1000 tasks.
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE: dict = {
    # Every 15 minutes a heartbeat proves the worker and beat are alive (shown on /healthz).
    "heartbeat": {"task": "core.tasks.heartbeat_task", "schedule": timedelta(minutes=15)},
    # Nightly at 03:00 WITA, clear expired sessions so the table stays small.
    "clear-sessions": {
        "task": "core.tasks.clear_sessions_task",
        "schedule": crontab(hour=3, minute=0),
    },
}

# Sessions are read from the cache and kept in the database too: a visitor's session costs no
# query while the cache holds it, and survives a cache flush or outage (read from the database).
# Django's cached_db engine; core.sessions lets a kept catalog page read it in the same round trip.
SESSION_ENGINE = "core.sessions"

# Security: strict defaults in production; `check --deploy` must be clean.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("DJANGO_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = ["security.W008"] if env_bool("DJANGO_BEHIND_TLS_PROXY", False) else []

# The cooperative's own details, shown to buyers who pay by bank transfer.
COOPERATIVE_NAME = env("COOPERATIVE_NAME", "Koperasi Pembatik Kutai Timur")
COOPERATIVE_BANK_NAME = env("COOPERATIVE_BANK_NAME", "Bank Kaltimtara")
COOPERATIVE_BANK_ACCOUNT = env("COOPERATIVE_BANK_ACCOUNT", "0011223344")
COOPERATIVE_BANK_HOLDER = env("COOPERATIVE_BANK_HOLDER", "Koperasi Pembatik Kutai Timur")
COOPERATIVE_WHATSAPP = env("COOPERATIVE_WHATSAPP", "+6281200000000")

# Structured logs: one line per request (core.middleware) and per Celery task (core.logging),
# plain text for people or JSON for log collectors (LOG_FORMAT=json).
LOG_FORMAT = env("LOG_FORMAT", "plain")
# Optional error tracking (core/error_tracking.py): no personal data, tagged with the request id.
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    from core.error_tracking import init_error_tracking

    init_error_tracking(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", "development" if DEBUG else "production"),
        release=env("SENTRY_RELEASE"),
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.logging.RequestIdFilter"},
        "cache_outage": {"()": "core.logging.CacheOutageFilter"},
    },
    "formatters": {
        "plain": {"()": "core.logging.PlainFormatter"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The request middleware writes one line per request; runserver's own would repeat it.
        "django.server": {"level": "WARNING"},
        # Likewise one line per task (core.logging): Celery's own "received" and "succeeded"
        # lines would repeat it, twice per task, on the worker's busiest path. Its warnings and
        # errors (a failed task, a lost connection) still show.
        "celery.worker.strategy": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
        "marketplace.cache": {"filters": ["cache_outage"]},
    },
}

# --- artisans ---
# Daily at 00:05 WITA, reopen shops whose vacation return date has passed.
CELERY_BEAT_SCHEDULE["end-past-vacations"] = {
    "task": "artisans.tasks.end_past_vacations_task",
    "schedule": crontab(hour=0, minute=5),
}

# --- catalog ---
# Catalog pages are cached for every reader (invalidated by catalog.cache.bump_catalog_version());
# off only for benchmarking the uncached path.
CATALOG_PAGE_CACHE = env_bool("CATALOG_PAGE_CACHE", True)

# --- notifications ---
# Every minute, send what waits in the email outbox: emails whose sending task was lost (a broker
# that was down) or that the mail server refused for a while.
CELERY_BEAT_SCHEDULE["send-pending-emails"] = {
    "task": "notifications.tasks.send_pending_emails_task",
    "schedule": timedelta(minutes=1),
}
# Every minute, send what waits in the WhatsApp outbox: messages whose task was lost, or that
# waited while the Cloud API was down.
CELERY_BEAT_SCHEDULE["send-pending-whatsapp"] = {
    "task": "notifications.tasks.send_pending_whatsapp_task",
    "schedule": timedelta(minutes=1),
}
# Makers' new-order, payment and reminder messages through the WhatsApp Business Cloud API
# (notifications/whatsapp.py), as approved template messages; off while the token is empty.
WHATSAPP_TOKEN = env("WHATSAPP_TOKEN")
# The id of the business phone number the messages are sent from (WhatsApp Manager).
WHATSAPP_PHONE_NUMBER_ID = env("WHATSAPP_PHONE_NUMBER_ID")
# Another API host (the local fake of `make run` and the tests); empty means Meta's Graph API.
WHATSAPP_API_BASE = env("WHATSAPP_API_BASE").rstrip("/") or "https://graph.facebook.com"
WHATSAPP_API_VERSION = env("WHATSAPP_API_VERSION", "v21.0")
# The approved template of each kind of message; a kind without one is not sent on WhatsApp.
WHATSAPP_TEMPLATES = {
    "new_order": env("WHATSAPP_TEMPLATE_NEW_ORDER"),
    "payment": env("WHATSAPP_TEMPLATE_PAYMENT"),
    "reminder": env("WHATSAPP_TEMPLATE_REMINDER"),
    "invitation": env("WHATSAPP_TEMPLATE_INVITATION"),
}
# Connect and read timeout of each call: a slow API must not hold a worker.
WHATSAPP_TIMEOUT_SECONDS = float(env("WHATSAPP_TIMEOUT_SECONDS", "10"))
# Repeats of a request that could not connect (nothing was sent, so no message is doubled).
WHATSAPP_MAX_NETWORK_RETRIES = env_int("WHATSAPP_MAX_NETWORK_RETRIES", 2)
if not DEBUG and WHATSAPP_TOKEN:
    _whatsapp_base = urlsplit(WHATSAPP_API_BASE)
    if _whatsapp_base.scheme != "https" and _whatsapp_base.hostname not in (
        "127.0.0.1",
        "localhost",
    ):
        # The token travels in every request: only over TLS, or to a fake on this machine.
        raise ImproperlyConfigured("WHATSAPP_API_BASE must be an https:// address.")

# --- orders ---
# Hours a maker's one-tap link (in the WhatsApp message of a new order) can accept or decline it.
ORDER_ONE_TAP_LINK_HOURS = env_int("ORDER_ONE_TAP_LINK_HOURS", 48)
# Hours after routing when a maker who has not answered a new order is reminded, once.
ORDER_ANSWER_REMINDER_HOURS = env_int("ORDER_ANSWER_REMINDER_HOURS", 12)
# Hours a buyer has to pay by bank transfer before the order expires and its stock is released.
ORDER_PAYMENT_HOURS = env_int("ORDER_PAYMENT_HOURS", 24)
# Hours before the payment deadline when the buyer of an unpaid order is reminded, once.
ORDER_PAYMENT_REMINDER_HOURS = env_int("ORDER_PAYMENT_REMINDER_HOURS", 3)
# Made-to-order work: days the buyer has to pay the rest once the maker marks the piece ready.
ORDER_BALANCE_PAYMENT_DAYS = env_int("ORDER_BALANCE_PAYMENT_DAYS", 3)
# A buyer who cancels after the work started leaves the down payment with the maker, unless the
# maker is this many days past the ready date.
ORDER_DOWN_PAYMENT_LATE_MARGIN_DAYS = env_int("ORDER_DOWN_PAYMENT_LATE_MARGIN_DAYS", 7)
# Days after shipping when a sub-order counts as delivered if the buyer did not confirm it.
ORDER_AUTO_DELIVER_DAYS = env_int("ORDER_AUTO_DELIVER_DAYS", 14)
# Days after delivery when a sub-order is completed (the window to report a problem).
ORDER_AUTO_COMPLETE_DAYS = env_int("ORDER_AUTO_COMPLETE_DAYS", 3)
# A confirmed order not routed after this many seconds is re-enqueued by the sweep.
ORDER_ROUTING_SWEEP_SECONDS = env_int("ORDER_ROUTING_SWEEP_SECONDS", 60)
# Transfer proofs: images checked like product photos, PDFs by header and size.
ORDER_PROOF_MAX_BYTES = 10 * 1024 * 1024
ORDER_PROOF_MAX_PIXELS = 40_000_000
CELERY_BEAT_SCHEDULE.update(
    {
        # Every minute: route confirmed orders whose routing message was lost (broker down, a
        # worker killed); a lost message delays routing by a minute but never loses an order.
        "orders-route-overdue": {
            "task": "orders.tasks.route_overdue_orders_task",
            "schedule": timedelta(minutes=1),
        },
        # Every 15 minutes: expire unpaid orders (transfer or card) and put their batik back on sale.
        "orders-expire-unpaid": {
            "task": "orders.tasks.expire_unpaid_orders_task",
            "schedule": timedelta(minutes=15),
        },
        # Every 15 minutes: remind buyers whose unpaid order expires within
        # ORDER_PAYMENT_REMINDER_HOURS, once each, so a forgotten transfer is still made in time.
        "orders-payment-reminders": {
            "task": "orders.tasks.send_payment_reminders_task",
            "schedule": timedelta(minutes=15),
        },
        # Every 15 minutes: remind makers of new orders they have not answered after
        # ORDER_ANSWER_REMINDER_HOURS (on WhatsApp, with their one-tap link), once each.
        "orders-answer-reminders": {
            "task": "orders.tasks.send_answer_reminders_task",
            "schedule": timedelta(minutes=15),
        },
        # Hourly: sub-orders shipped long ago count as delivered, delivered ones complete.
        "orders-auto-deliver": {
            "task": "orders.tasks.auto_deliver_suborders_task",
            "schedule": timedelta(hours=1),
        },
    }
)

# --- payments ---
# The manual bank transfer with a photo of the receipt, which the cooperative matches by hand;
# it can be switched off once QRIS and virtual accounts carry the sales.
PAYMENT_BANK_TRANSFER_ENABLED = env_bool("PAYMENT_BANK_TRANSFER_ENABLED", True)
# Card payments through Stripe; the card option appears at checkout only when the secret key is set.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY")
# The signing secret of the webhook endpoint (whsec_...): unsigned events are refused.
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET")
# Another API host (a local fake Stripe in tests); empty means Stripe itself.
STRIPE_API_BASE = env("STRIPE_API_BASE").rstrip("/")
# Stripe.js must be loaded from Stripe in production; tests point it at the fake server's copy.
STRIPE_JS_URL = env("STRIPE_JS_URL", "https://js.stripe.com/v3/")
# Retries with backoff on network errors; our own idempotency keys make them safe.
STRIPE_MAX_NETWORK_RETRIES = env_int("STRIPE_MAX_NETWORK_RETRIES", 2)
# Webhooks signed longer ago than this are refused (replays).
STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300

# QRIS, virtual accounts and e-wallets through Midtrans' Core API (orders/payments/midtrans_api.py);
# the methods appear at checkout only when the server key is set.
MIDTRANS_SERVER_KEY = env("MIDTRANS_SERVER_KEY")
MIDTRANS_CLIENT_KEY = env("MIDTRANS_CLIENT_KEY")
# False: Midtrans' sandbox (keys start with SB-); True: real money.
MIDTRANS_IS_PRODUCTION = env_bool("MIDTRANS_IS_PRODUCTION", False)
# Another API host (the local fake Midtrans of `make run` and the tests); empty means Midtrans.
MIDTRANS_API_BASE = env("MIDTRANS_API_BASE").rstrip("/") or (
    "https://api.midtrans.com" if MIDTRANS_IS_PRODUCTION else "https://api.sandbox.midtrans.com"
)
# Where Midtrans posts its notifications for our charges (sent as X-Override-Notification);
# empty means the URL set in Midtrans' dashboard.
MIDTRANS_NOTIFICATION_URL = env("MIDTRANS_NOTIFICATION_URL")
# Connect and read timeout of each call: a slow gateway must not hold a web or worker process.
MIDTRANS_TIMEOUT_SECONDS = float(env("MIDTRANS_TIMEOUT_SECONDS", "10"))
# Retries on network errors only; order ids and refund keys make a repeated call harmless.
MIDTRANS_MAX_NETWORK_RETRIES = env_int("MIDTRANS_MAX_NETWORK_RETRIES", 2)
# The local fake's "Simulator pembayaran" page (set by `make run`): the payment page links to it.
MIDTRANS_SIMULATOR_URL = env("MIDTRANS_SIMULATOR_URL")
if not DEBUG and MIDTRANS_SERVER_KEY:
    _midtrans_base = urlsplit(MIDTRANS_API_BASE)
    if _midtrans_base.scheme != "https" and _midtrans_base.hostname not in (
        "127.0.0.1",
        "localhost",
    ):
        # The server key travels in every request: only over TLS, or to a fake on this machine.
        raise ImproperlyConfigured("MIDTRANS_API_BASE must be an https:// address.")

# Content-Security-Policy (marketplace/csp.py): no inline script, Stripe only where needed.
SECURE_CSP = content_security_policy(stripe_js_url=STRIPE_JS_URL, stripe_api_base=STRIPE_API_BASE)

if not DEBUG and STRIPE_SECRET_KEY and not STRIPE_WEBHOOK_SECRET:
    raise ImproperlyConfigured("STRIPE_WEBHOOK_SECRET must be set when STRIPE_SECRET_KEY is.")
CELERY_BEAT_SCHEDULE.update(
    {
        # Every 15 minutes: send card refunds that are due but whose task message was lost.
        "orders-refund-due": {
            "task": "orders.tasks.refund_due_suborders_task",
            "schedule": timedelta(minutes=15),
        },
        # Every 15 minutes: cancel at Stripe the intents of orders closed unpaid, where the
        # task message was lost.
        "orders-cancel-unwanted-intents": {
            "task": "orders.tasks.cancel_unwanted_intents_task",
            "schedule": timedelta(minutes=15),
        },
        # Every minute: read back Midtrans charges not heard of for two minutes (a lost
        # notification never leaves an order unpaid), and re-send cancels and refunds a lost
        # message left behind.
        "orders-check-midtrans-charges": {
            "task": "orders.tasks.check_open_midtrans_charges_task",
            "schedule": timedelta(minutes=1),
        },
    }
)

# --- institutional procurement ---
# The cooperative's code in its letter numbers (007/KBK/SPH/XII/2026).
COOPERATIVE_LETTER_CODE = env("COOPERATIVE_LETTER_CODE", "KBK")
# The letterhead and signature of the cooperative's documents (quote, order letter, invoice,
# kwitansi, BAST); the bank account above is the one the invoices name.
COOPERATIVE_ADDRESS = env(
    "COOPERATIVE_ADDRESS",
    "Jl. Yos Sudarso II No. 12, Sangatta Utara, Kutai Timur, Kalimantan Timur",
)
COOPERATIVE_CITY = env("COOPERATIVE_CITY", "Sangatta")
COOPERATIVE_PHONE = env("COOPERATIVE_PHONE", "(0549) 21000")
COOPERATIVE_EMAIL = env("COOPERATIVE_EMAIL", "koperasi@batikkutim.id")
COOPERATIVE_NPWP = env("COOPERATIVE_NPWP", "01.234.567.8-727.000")
COOPERATIVE_SIGNATORY_NAME = env("COOPERATIVE_SIGNATORY_NAME", "Siti Rahmawati")
COOPERATIVE_SIGNATORY_TITLE = env("COOPERATIVE_SIGNATORY_TITLE", "Ketua Koperasi")
# Bela Pengadaan: a government office buys directly online up to this much per purchase (LKPP);
# requests and quotes above it show a warning (larger buys go through the e-Katalog).
PROCUREMENT_DIRECT_PURCHASE_CAP = int(env("PROCUREMENT_DIRECT_PURCHASE_CAP", "50000000"))
# Days an institution has to pay a down payment or an invoice (after the handover).
PROCUREMENT_INVOICE_DAYS = int(env("PROCUREMENT_INVOICE_DAYS", "30"))

# --- ledger ---
# The cooperative's commission on each delivered sub-order's goods (not shipping), in percent;
# a shop may have its own rate (ledger.ShopCommission). Rounded half up to whole rupiah.
COOPERATIVE_COMMISSION_PERCENT = Decimal(env("COOPERATIVE_COMMISSION_PERCENT", "5"))
# Days a sale is held after the buyer confirms delivery before the maker may be paid it
# (0: available at once).
LEDGER_SALE_HOLD_DAYS = env_int("LEDGER_SALE_HOLD_DAYS", 0)
# A payout run pays every maker with a bank account whose available balance is at least this.
PAYOUT_RUN_MINIMUM = env_int("PAYOUT_RUN_MINIMUM", 50_000)
# When the payout run is made: the hour (WITA) and the days of the week (crontab style,
# "*" every day, e.g. "mon,thu").
PAYOUT_RUN_HOUR = env_int("PAYOUT_RUN_HOUR", 7)
PAYOUT_RUN_DAYS = env("PAYOUT_RUN_DAYS", "*")
CELERY_BEAT_SCHEDULE.update(
    {
        # Hourly: credit delivered sub-orders whose ledger entries were not written when they
        # were delivered (a crash between the status change and the ledger); a sale is late,
        # never lost.
        "ledger-record-missing-sales": {
            "task": "ledger.tasks.record_missing_sales_task",
            "schedule": timedelta(hours=1),
        },
        # Daily at 07:00 WITA by default: the payout run, so the treasurer finds the day's bank
        # transfer file in the admin at the start of the working day and makers are paid daily
        # without asking.
        "ledger-payout-run": {
            "task": "ledger.tasks.create_payout_run_task",
            "schedule": crontab(hour=PAYOUT_RUN_HOUR, minute=0, day_of_week=PAYOUT_RUN_DAYS),
        },
    }
)
