"""The reminder job on a real Celery worker and the real Redis broker (QUALITY.md: eager mode
cannot show delivery). Runs in CI against CELERY_BROKER_URL; skipped locally only when Redis
is unreachable, never when CI=true."""

import os
import time
from collections import Counter
from datetime import date, timedelta

import pytest
import redis
import time_machine
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection

from cms.celery import app
from motions import services, tasks
from tests.factories import MotionFactory, OrganFactory
from tests.production import faults

BROKER = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/13"
TODAY = date(2025, 3, 3)


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = [pytest.mark.redis]
if not _redis_up():
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        raise RuntimeError(f"CI needs Redis at {BROKER} for the worker tests.")
    pytestmark.append(pytest.mark.skip(reason=f"Redis is not reachable at {BROKER}"))


@pytest.fixture
def worker(transactional_db):
    """A real worker on a real broker. On PostgreSQL a threads pool runs tasks side by side;
    SQLite's shared in-memory test database locks whole tables, so there one thread runs them."""
    pool = "threads" if connection.vendor == "postgresql" else "solo"
    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=BROKER, result_backend=BROKER, task_always_eager=False)
    _reset_connections()
    app.control.purge()
    with (
        time_machine.travel(TODAY, tick=True),
        start_worker(
            app,
            pool=pool,
            concurrency=4,
            perform_ping_check=False,
            loglevel="WARNING",
            shutdown_timeout=20,
        ) as running,
    ):
        yield running
    app.conf.update(saved)
    _reset_connections()


def _reset_connections():
    """Drop pooled connections so the app reconnects with the broker configured now."""
    app._pool = None  # kombu keeps one pool per broker URL; never close it, it is shared
    app.amqp._producer_pool = None
    # The result backend is cached on first use (eager tests use none): forget it.
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def record(transactional_db):
    first = MotionFactory(case_number="KS 2024-1", submitted_on=date(2024, 2, 29))
    body = first.body
    body.secretariat_email = "kansliet@example.org"
    body.save()
    second = MotionFactory(body=body, case_number="KS 2024-2", submitted_on=date(2024, 4, 1))
    organs = [
        OrganFactory(
            body=body, kind="committee", name=f"Nämnd {n}", contact_email=f"namnd{n}@example.org"
        )
        for n in range(3)
    ]
    for n, organ in enumerate(organs):
        services.motion_refer(
            motion=second,
            organ=organ,
            sent_on=date(2024, 6, 1),
            due_on=TODAY + timedelta(days=5 - 10 * n),
        )
    return first, second


def _reminder_lines() -> Counter:
    return Counter(
        line
        for message in mail.outbox
        for line in message.body.splitlines()
        if line.startswith("- ")
    )


def _wait_for_reminders(expected: int, timeout: float = 90):
    """Wait on the outbox, not the database: the worker thread may be writing to it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(_reminder_lines()) >= expected:
            time.sleep(2)  # give a duplicate the chance to show up
            return
        time.sleep(0.2)
    raise AssertionError(f"{len(_reminder_lines())} of {expected} reminders arrived in time")


def test_two_concurrent_daily_runs_send_every_reminder_exactly_once(record, worker):
    results = [tasks.daily_reminders.delay() for _ in range(3)]
    for result in results:
        result.get(timeout=30)
    # Two motions to the secretariat, three referrals to their organs.
    _wait_for_reminders(expected=5)
    lines = _reminder_lines()
    faults.record("reminders: three daily runs at once (two beats)", 5, sum(lines.values()))
    assert len(lines) == 5
    assert set(lines.values()) == {1}
    # Concurrent runs may split one recipient's reminders over two e-mails, never repeat one.
    assert {m.to[0] for m in mail.outbox} == {
        "kansliet@example.org",
        "namnd0@example.org",
        "namnd1@example.org",
        "namnd2@example.org",
    }


def test_a_redelivered_send_task_sends_nothing_twice(record, worker):
    from motions import reminders

    token, _recipients = reminders.plan(today=TODAY)
    batch = [tasks.send_reminder_batch.delay(token, "kansliet@example.org") for _ in range(3)]
    assert sorted(r.get(timeout=30) for r in batch) == [0, 0, 2]
    assert [m.to for m in mail.outbox] == [["kansliet@example.org"]]
