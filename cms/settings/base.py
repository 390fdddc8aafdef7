"""Settings read from the environment, with safe defaults for a first run.

`DEBUG` is off unless set; with it off the web and Celery processes refuse to start without
`SECRET_KEY`. `DATABASE_URL` defaults to an SQLite file and an unset
`CELERY_BROKER_URL` runs tasks in-process, so `make demo` needs nothing installed.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# Required with DEBUG off: the web and Celery processes refuse to start without it
# (cms.startup). Commands that only read the code, such as makemigrations, run without one;
# anything else that signs fails at once on Django's "must not be empty".
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    "insecure-development-key-only-used-with-DEBUG-on" if DEBUG else ""
)

# ".localhost": localhost and each demo municipality's own host (boras.localhost).
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ".localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "motions",
    "plans",
    "subscriptions",
    "workspace",
    "registers",
    "reporting",
    "cms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "ninja",  # serves the API docs' Swagger UI from our own static files, not a CDN
    "wagtail.contrib.sitemaps",
    "django.contrib.sitemaps",
    "django_celery_beat",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",  # last: its checks expect the auth apps loaded
]

MIDDLEWARE = [
    "cms.observability.RequestIdMiddleware",  # first: every later log line carries the id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cms.replica.PublicReadMiddleware",  # off unless DATABASE_REPLICA_URL is set
    "cms.middleware.MunicipalSiteMiddleware",  # the municipality's site; /<slug>/ on the portal
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.middleware.SwedishFirstLocaleMiddleware",
    "cms.middleware.RefuseNulBytesMiddleware",  # after the locale: its 400 page is translated
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cms.pagecache.PageCacheMiddleware",  # off unless PAGE_CACHE_SECONDS > 0 (see below)
    "axes.middleware.AxesMiddleware",  # turns a locked-out login into the lockout page
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before checking it
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.freshness.data_changed",  # the footer's "data last changed"
            ],
        },
    },
]

# A shared cache (Redis, e.g. CACHE_URL=redis://127.0.0.1:6379/1) lets every process see the
# same cached index URLs and page-cache version; without one each process keeps its own.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Sessions live in the database, so any web process serves any visitor; with a shared cache
# they are read from it and written through to the database (a Redis restart signs no one out).
SESSION_ENGINE = os.environ.get(
    "SESSION_ENGINE",
    "django.contrib.sessions.backends.cached_db"
    if CACHE_URL
    else "django.contrib.sessions.backends.db",
)
# Where the visitor's address is, for rate limits: REMOTE_ADDR, or behind a reverse proxy a
# header that the proxy overwrites (nginx: `proxy_set_header X-Real-IP $remote_addr;` and
# CLIENT_IP_HEADER=HTTP_X_REAL_IP). Never a header the visitor can set unchecked.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "REMOTE_ADDR")
# Whole pages for anonymous visitors (cms.pagecache), emptied on every content write. Only
# with a shared cache: a per-process cache could not be emptied in the other workers.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300" if CACHE_URL else "0"))

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=600
    )
}
# A read replica (streaming replication of the primary): anonymous visitors' reads go there,
# everything else to the primary (cms.replica). Unset: one database for all.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_ROUTERS = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=600)
    DATABASE_ROUTERS = ["cms.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Swedish first (språklagen), English second.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploads (documents, images) on S3-compatible storage (MinIO, Ceph, a Swedish cloud's object
# store) when a bucket is named, so web processes on several hosts share them. Links to the
# files are signed and expire after an hour (django-storages' default).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "file_overwrite": False,
            "default_acl": None,
        },
    }

WAGTAIL_SITE_NAME = "Beslutsspår"
# The admin would ask releases.wagtail.org for news on every dashboard view: an outside call
# the policy refuses and a closed municipal network cannot make. Upgrades come through pip.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL full-text search with Swedish stemming ("motionen" finds "motion").
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "swedish"
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "csv", "txt"]

# E-mail: console by default; production sets EMAIL_URL-style variables.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "beslutsspar@localhost")
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (make prod-check reads it).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")

# Celery: an unset broker runs every task in-process (make demo needs no Redis).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# A hung or unreachable broker must not hold a web request for more than ~5 s.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Seconds before a task a worker took but never acknowledged (the worker died) is handed
# out again. The outbox's claims expire after the same time (subscriptions.services).
TASK_VISIBILITY_TIMEOUT = int(os.environ.get("TASK_VISIBILITY_TIMEOUT", "300"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": TASK_VISIBILITY_TIMEOUT,
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
    "max_retries": 1,
}
# Days a link to a subscriber's own page works; the one-click unsubscribe link never expires.
SUBSCRIPTIONS_MANAGE_LINK_DAYS = int(os.environ.get("SUBSCRIPTIONS_MANAGE_LINK_DAYS", "7"))
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Beat writes each send's time at once, so /health/ready/ can tell that it runs (cms.health):
# the sweep below goes every minute, and a beat silent for longer than this is reported.
CELERY_BEAT_SYNC_EVERY = 1
BEAT_HEARTBEAT_MAX_AGE = int(os.environ.get("BEAT_HEARTBEAT_MAX_AGE", "180"))
# Declared here so every installation has them; the DatabaseScheduler copies them into
# django-celery-beat's tables, where an operator can pause or re-time one in the admin.
CELERY_BEAT_SCHEDULE: dict = {
    "motions-daily-reminders": {
        "task": "motions.tasks.daily_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    # Officers: a follow-up due in 14 and 3 days, late by 7 and 30 (plans.reminders).
    "plans-owner-reminders": {
        "task": "plans.tasks.owner_reminders",
        "schedule": crontab(hour=6, minute=40),
    },
    "motions-close-with-legal-force": {
        "task": "motions.tasks.close_motions_with_legal_force",
        "schedule": crontab(hour=5, minute=45),
    },
    # E-proposals whose signature window ended below the threshold (idempotent).
    "motions-close-lapsed-e-proposals": {
        "task": "motions.tasks.close_lapsed_e_proposals",
        "schedule": crontab(hour=5, minute=50),
    },
    # Outbox: re-queue notifications and requested mails (confirmations, manage links)
    # committed but never sent; idempotent, safe to overlap.
    "subscriptions-sweep-outbox": {"task": "subscriptions.tasks.sweep_outbox", "schedule": 60.0},
    "subscriptions-weekly-digests": {
        "task": "subscriptions.tasks.send_weekly_digests",
        "schedule": crontab(day_of_week=1, hour=7, minute=0),
    },
    # Political groups' weekly digest (workspace.digest): claimed per user and ISO week.
    "workspace-weekly-digests": {
        "task": "workspace.tasks.send_weekly_digests",
        "schedule": crontab(day_of_week=1, hour=7, minute=30),
    },
    "subscriptions-purge-unconfirmed": {
        "task": "subscriptions.tasks.purge_unconfirmed",
        "schedule": crontab(hour=3, minute=15),
    },
    # Register imports: delete uploaded files never imported (7 days), end runs lost by a worker.
    "registers-sweep-import-runs": {
        "task": "registers.tasks.sweep_import_runs",
        "schedule": crontab(hour=3, minute=30),
    },
}

# Logs go to standard error (systemd's journal, the container's log); LOG_FORMAT=json writes one
# JSON object a line for a log collector. Every line carries the request id (cms.observability).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cms.observability.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Wagtail's search and reference-index jobs log every run; keep the terminal readable.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}
# Celery keeps the logging above instead of installing its own handlers.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Errors to Sentry (or GlitchTip) when SENTRY_DSN is set; nothing is sent otherwise.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from cms.observability import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Security headers. The public pages need no inline script or style, so their policy allows
# none; the Wagtail admin still writes inline scripts and styles, so /admin/ gets its own,
# looser policy (cms.middleware). Previews are framed by the admin, nothing else frames us.
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views set SAMEORIGIN on their own responses
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
CONTENT_SECURITY_POLICY_ADMIN = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# No page of ours uses a camera, a microphone, the position or payment.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# HTTPS. Behind a TLS-terminating proxy that sets X-Forwarded-Proto (README, "Security").
# Off by default so `make demo` runs on plain http; production turns them on (.env.example).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Admin logins (django-axes): five wrong passwords for one account from one address lock that
# pair for 15 minutes, and the login page says so. Per pair, not per address: a town hall's
# staff share one public address, and one person's typing must not lock out the others.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_CLIENT_IP_CALLABLE = "subscriptions.throttle.client_ip"  # one rule for both limits
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False  # one "BEGIN" line per process is noise
# Failed attempts only, kept until the pause is over: no log of every sign-in's address and
# browser (personal data with no purpose here; Wagtail's history says who changed what).
AXES_DISABLE_ACCESS_LOG = True
