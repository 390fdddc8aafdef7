"""Pointing the Celery app at Redis for the delivery tests, and waiting for what a worker does."""

import os
import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.db import connection

from cms import celery_app

# CI provides its broker; locally use Redis db 3 so other queues on the machine are untouched.
BROKER = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/3"
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
NO_DISK = ("--save", "", "--appendonly", "no")

# A worker has its own database connection to the committed data, so these tests are
# transactional and need PostgreSQL (an in-memory SQLite database is per connection).
REAL_WORKER = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.redis,
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


class RedisServer:
    """A Redis of the test's own on a free port, so stopping it stops nobody else's broker.
    Like the production one it keeps nothing on disk: a restart empties its queues."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, *("--port", str(self.port), "--bind", "127.0.0.1"), *NO_DISK],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        wait_for(lambda: self._answers(client), timeout=10, message="redis-server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False
