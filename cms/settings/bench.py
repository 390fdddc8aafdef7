"""`make bench` settings: only overrides. Production-like (DEBUG off, manifest static files),
plus a bare view at /__bare__/ that gives the ceiling the pages are compared with."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ["DEBUG"] = "0"

from .base import *  # noqa: F403

ROOT_URLCONF = "cms.bench_urls"
# Loopback HTTP: secure cookies are irrelevant, and nothing here sets a session.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "WARNING")  # noqa: F405
