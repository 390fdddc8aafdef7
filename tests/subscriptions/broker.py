"""Pointing the Celery app at Redis for the delivery tests, and waiting for what a worker does."""

import os
import time

import pytest
from django.db import connection

from cms import celery_app

# CI provides its broker; locally use Redis db 3 so other queues on the machine are untouched.
BROKER = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/3"
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"

# A worker has its own database connection to the committed data, so these tests are
# transactional and need PostgreSQL (an in-memory SQLite database is per connection).
REAL_WORKER = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite" and not os.environ.get("CI"),
        reason="A worker cannot see an in-memory SQLite test database; "
        "run with DATABASE_URL=postgres://... (CI always does).",
    ),
]


def point_at(broker_url: str) -> None:
    """Re-point the app's producers (the pools are cached on first use)."""
    celery_app.conf.broker_url = broker_url
    celery_app._pool = None  # kombu keys its pools by Connection object: the next one is new
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None


def wait_for(predicate, timeout: float = 30.0, message: str = "timed out") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, message
        time.sleep(0.1)
