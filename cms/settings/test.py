"""Test settings: only overrides. DATABASE_URL and CELERY_BROKER_URL still come from the environment."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Tests of rules run tasks eagerly; delivery tests start a real worker on Redis.
CELERY_TASK_ALWAYS_EAGER = True
ALLOWED_HOSTS = ["*"]
