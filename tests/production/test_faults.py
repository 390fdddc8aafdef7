"""Faults that the README's delivery promise covers and the other real-worker tests do not:
the pool's child killed while the worker lives on, and a broker that hangs instead of
refusing. Each records its row in the fault table (tests/production/faults.py)."""

import os
import signal
import subprocess
import time
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from subscriptions import tasks
from subscriptions.models import Notification
from tests.factories import ProposalFactory
from tests.production.faults import record
from tests.subscriptions.broker import REAL_WORKER, point_at, wait_for
from tests.subscriptions.conftest import broker, followed_motion  # noqa: F401 (fixtures)
from tests.subscriptions.killable import BEFORE_SEND
from tests.subscriptions.test_worker import drain, own_redis, worker  # noqa: F401 (fixture)
from tests.subscriptions.test_worker_killed import (  # noqa: F401 (fixtures)
    VISIBILITY_TIMEOUT,
    mailbox,
    received,
    run_beat_twice_and_drain,
    worker_process,
)

pytestmark = REAL_WORKER


def pool_child(pid: int) -> int:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=True)
    return int(found.stdout.split()[0])


def test_the_workers_child_killed_mid_delivery_sends_once(
    followed_motion,  # noqa: F811
    worker_process,  # noqa: F811
    mailbox,  # noqa: F811
):
    (mailbox / BEFORE_SEND).touch()
    parent = worker_process("parent")
    ProposalFactory(motion=followed_motion)
    wait_for(lambda: (mailbox / f"{BEFORE_SEND}.reached").exists())

    os.kill(pool_child(parent.pid), signal.SIGKILL)  # claimed, not sent; the parent lives on
    (mailbox / BEFORE_SEND).unlink()
    time.sleep(VISIBILITY_TIMEOUT + 1)  # the dead child's claim expires
    run_beat_twice_and_drain(mailbox)  # the same parent, with a new child, does the rest

    delivered = len(received(mailbox))
    record("worker's pool child killed mid-delivery", 1, delivered)
    assert delivered == 1
    assert parent.poll() is None
    assert Notification.objects.get().sent_at is not None


def test_a_hanging_broker_holds_the_publish_seconds_and_the_sweep_delivers_once(
    broker,  # noqa: F811
    followed_motion,  # noqa: F811
    own_redis,  # noqa: F811
):
    point_at(own_redis.url)
    with worker():  # live connections to the broker when it stops answering
        drain()
    own_redis.process.send_signal(signal.SIGSTOP)  # accepts connections, answers nothing
    try:
        started = time.monotonic()
        proposal = ProposalFactory(motion=followed_motion)
        held = time.monotonic() - started
    finally:
        own_redis.process.send_signal(signal.SIGCONT)
    assert proposal.live
    assert held < 15, f"the publish waited {held:.0f} s for a hanging broker"

    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    with worker():
        tasks.sweep_outbox.delay()
        tasks.sweep_outbox.delay()
        drain()

    record("broker hanging during publish", 1, len(mail.outbox))
    assert len(mail.outbox) == 1
    assert Notification.objects.get().sent_at is not None
