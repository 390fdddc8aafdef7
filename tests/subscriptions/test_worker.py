"""Delivery through a real Celery worker on Redis, as in production: tasks are published
to the broker and run in a worker thread; mail lands in Django's locmem outbox.
test_worker_killed.py kills a worker process."""

import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from cms import celery_app
from subscriptions import tasks
from subscriptions.models import MailRequest, Notification, Subscription
from tests.factories import ProposalFactory
from tests.production.faults import record
from tests.subscriptions.broker import (
    BROKER,
    REAL_WORKER,
    UNREACHABLE_BROKER,
    RedisServer,
    point_at,
    wait_for,
)
from tests.subscriptions.test_outbox import publish_then_fail

pytestmark = REAL_WORKER

_done = threading.Event()


@celery_app.task(name="tests.subscriptions.marker")
def marker():
    """Queued last: once it has run, the solo worker has run everything queued before it."""
    _done.set()


@contextmanager
def worker():
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield


def drain(timeout: float = 30.0) -> None:
    """Wait until every task queued so far (and the tasks they queued) has run."""
    for _round in range(3):  # fan-out: notify_event queues deliveries, which run after it
        _done.clear()
        marker.delay()
        assert _done.wait(timeout), "the worker did not finish the queued tasks"


def test_a_real_worker_delivers_a_notification_once(broker, followed_motion):
    motion = followed_motion
    with worker():
        ProposalFactory(motion=motion)  # commits; on_commit publishes to Redis
        wait_for(lambda: Notification.objects.filter(sent_at__isnull=False).exists())
        drain()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.org"]
    assert motion.case_number in mail.outbox[0].subject


def test_a_redelivered_task_still_sends_once(broker, followed_motion):
    """As after a worker was lost with the message unacknowledged (acks_late)."""
    motion = followed_motion
    with worker():
        ProposalFactory(motion=motion)
        pk = Notification.objects.get().pk
        tasks.deliver_notification.delay(pk)
        tasks.deliver_notification.delay(pk)
        drain()

    assert len(mail.outbox) == 1
    assert Notification.objects.get().sent_at is not None


def test_a_rolled_back_change_sends_nothing(broker, followed_motion):
    motion = followed_motion
    with worker():
        with pytest.raises(RuntimeError):
            publish_then_fail(motion)
        drain()

    record("rollback after enqueue", 0, len(mail.outbox))
    assert mail.outbox == []
    assert not Notification.objects.exists()


@pytest.fixture
def own_redis():
    server = RedisServer()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def test_with_the_broker_stopped_the_change_commits_and_the_sweep_delivers_it_once(
    broker, followed_motion, own_redis
):
    point_at(own_redis.url)
    motion = followed_motion
    with worker():  # the app holds live connections to the broker when it goes away
        drain()
    own_redis.stop()

    proposal = ProposalFactory(motion=motion)  # enqueueing fails after commit; logged, not raised
    assert proposal.live
    notification = Notification.objects.get()
    assert notification.sent_at is None

    own_redis.start()  # back, and empty
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    with worker():
        tasks.sweep_outbox.delay()
        tasks.sweep_outbox.delay()  # beat running twice (two beat processes, celery#2856)
        drain()

    record("broker refusing connections during publish", 1, len(mail.outbox))
    assert len(mail.outbox) == 1
    assert Notification.objects.get().sent_at is not None


def test_a_queue_that_redis_lost_is_delivered_by_the_sweep_once(broker, followed_motion):
    motion = followed_motion
    ProposalFactory(motion=motion)  # no worker yet: the task waits in Redis
    celery_app.control.purge()  # as when Redis restarts without persistence
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=10))

    with worker():
        tasks.sweep_outbox.delay()
        tasks.sweep_outbox.delay()
        drain()

    record("Redis restarted empty (queue lost), two beats", 1, len(mail.outbox))
    assert len(mail.outbox) == 1
    assert Notification.objects.get().sent_at is not None


def test_a_worker_that_died_after_claiming_does_not_lose_the_mail(broker, followed_motion):
    """Killed between claim and send: the claim times out and the sweep sends it, once."""
    motion = followed_motion
    point_at(UNREACHABLE_BROKER)
    ProposalFactory(motion=motion)
    point_at(BROKER)
    long_ago = timezone.now() - timedelta(minutes=10)
    Notification.objects.update(created_at=long_ago, claimed_at=long_ago, attempts=1)

    with worker():
        tasks.sweep_outbox.delay()
        drain()
        tasks.sweep_outbox.delay()
        drain()

    assert len(mail.outbox) == 1


def test_a_fresh_claim_is_left_alone_by_the_sweep(broker, followed_motion):
    """A worker still sending (claim younger than the visibility timeout) is not doubled."""
    motion = followed_motion
    point_at(UNREACHABLE_BROKER)
    ProposalFactory(motion=motion)
    point_at(BROKER)
    Notification.objects.update(
        created_at=timezone.now() - timedelta(minutes=10), claimed_at=timezone.now()
    )

    with worker():
        tasks.sweep_outbox.delay()
        drain()

    assert mail.outbox == []


def test_a_sent_notification_is_never_sent_again_by_the_sweep(broker, followed_motion):
    motion = followed_motion
    with worker():
        ProposalFactory(motion=motion)
        wait_for(lambda: Notification.objects.filter(sent_at__isnull=False).exists())
        Notification.objects.update(created_at=timezone.now() - timedelta(minutes=10))
        tasks.sweep_outbox.delay()
        tasks.sweep_outbox.delay()
        drain()

    assert len(mail.outbox) == 1


def test_a_real_worker_mails_the_manage_link_to_a_known_address_only(
    broker, followed_motion, client
):
    with worker():
        known = client.post("/folj/mina/", {"email": "anna@example.org"})
        unknown = client.post("/folj/mina/", {"email": "olle@example.org"})
        wait_for(lambda: not MailRequest.objects.exists())
        drain()

    assert known.status_code == unknown.status_code == 200
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    assert "/folj/mina/" in mail.outbox[0].body


def test_with_the_broker_stopped_requested_mails_commit_and_the_sweep_sends_each_once(
    broker, followed_motion, own_redis, client
):
    point_at(own_redis.url)
    motion = followed_motion
    with worker():
        drain()
    own_redis.stop()

    follow = {"email": "bo@example.org", "frequency": "weekly", "target": f"motion:{motion.pk}"}
    assert client.post("/folj/", follow).status_code == 200  # enqueueing failed, was logged
    assert client.post("/folj/mina/", {"email": "anna@example.org"}).status_code == 200
    assert MailRequest.objects.count() == 2

    own_redis.start()  # back, and empty
    MailRequest.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    with worker():
        tasks.sweep_outbox.delay()
        tasks.sweep_outbox.delay()
        drain()

    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "bo@example.org"]
    assert not MailRequest.objects.exists()
    assert Subscription.objects.get(subscriber__email="bo@example.org").confirmed_at is None
