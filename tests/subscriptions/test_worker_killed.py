"""A worker process killed with SIGKILL in the middle of a delivery, as by the kernel's
out-of-memory killer or a lost machine: the e-mail still arrives, and arrives once.

The worker is a real `celery worker` process on Redis (tests/subscriptions/worker_settings.py):
it writes mail to a directory, and stops and waits where the test wants to kill it
(tests/subscriptions/killable.py). Its unacknowledged task is handed out again by Redis
after the visibility timeout, here two seconds."""

import email
import email.policy
import os
import signal
import subprocess
import sys
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from cms import celery_app
from subscriptions import tasks
from subscriptions.models import MailRequest, Notification
from tests.factories import MotionFactory, ProposalFactory
from tests.production.faults import record
from tests.subscriptions.broker import BROKER, REAL_WORKER, wait_for
from tests.subscriptions.killable import AFTER_TASK, BEFORE_SEND, DELIVER, DELIVER_REQUEST

pytestmark = REAL_WORKER

VISIBILITY_TIMEOUT = 2
# prefork, as in production: SIGKILL to the group takes the pool's child with its parent.
WORKER = [
    *(sys.executable, "-m", "celery", "-A", "cms", "worker", "--pool=prefork", "--concurrency=1"),
    *("--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"),
]


def database_url() -> str:
    """The test database, for the worker process."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def mailbox(tmp_path) -> Path:
    return tmp_path


@pytest.fixture
def worker_process(broker, mailbox):
    """Start a named worker process; every one still running is stopped afterwards."""
    started = []

    def start(name: str) -> subprocess.Popen:
        log_path = mailbox / f"{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.subscriptions.worker_settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": BROKER,
            "MAILBOX_DIR": str(mailbox),
            "TASK_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        }
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [*WORKER, "-n", f"{name}@%h"],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the pool's child dies with it
            )
        started.append(process)
        wait_for(
            lambda: process.poll() is not None or " ready." in log_path.read_text(),
            timeout=60,
            message=f"worker {name} did not start",
        )
        assert process.poll() is None, log_path.read_text()
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def kill(process: subprocess.Popen) -> None:
    """SIGKILL to the worker and its pool: no clean-up, no acknowledgement, no goodbye."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def received(mailbox: Path) -> list[EmailMessage]:
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(mailbox.glob("*.eml"))
    ]


def delivery_runs(mailbox: Path, task: str, pk: int) -> int:
    """How often a delivery task for this row has started, in any worker."""
    log = mailbox / "deliveries.log"
    return log.read_text().split().count(f"{task}:{pk}") if log.exists() else 0


def run_beat_twice_and_drain(mailbox: Path) -> None:
    """The minute's sweep sent by two beat processes at once, then wait until the worker has
    run every task queued so far and every task those queued."""
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    MailRequest.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    tasks.sweep_outbox.delay()
    tasks.sweep_outbox.delay()
    for round_ in range(3):
        done = mailbox / f"drained-{round_}"
        celery_app.send_task("tests.subscriptions.killable.touch", args=[str(done)])
        wait_for(done.exists, message="the worker did not run the queued tasks")


def test_a_worker_killed_before_sending_loses_nothing(followed_motion, worker_process, mailbox):
    motion = followed_motion
    (mailbox / BEFORE_SEND).touch()
    first = worker_process("first")
    ProposalFactory(motion=motion)  # commits; the outbox row's task goes to Redis
    wait_for(lambda: (mailbox / f"{BEFORE_SEND}.reached").exists())

    kill(first)  # claimed, not sent
    (mailbox / BEFORE_SEND).unlink()
    notification = Notification.objects.get()
    assert notification.claimed_at is not None
    assert notification.sent_at is None
    assert received(mailbox) == []

    worker_process("second")
    # Redis hands the dead worker's task out again once its claim has expired.
    wait_for(
        lambda: delivery_runs(mailbox, DELIVER, notification.pk) >= 2,
        message="the task was not redelivered",
    )
    run_beat_twice_and_drain(mailbox)

    mails = received(mailbox)
    record("whole worker killed before sending, two beats", 1, len(mails))
    assert len(mails) == 1
    assert mails[0]["To"] == "anna@example.org"
    assert motion.case_number in mails[0]["Subject"]
    assert Notification.objects.get().sent_at is not None


def test_a_worker_killed_right_after_sending_does_not_send_again(
    followed_motion, worker_process, mailbox
):
    motion = followed_motion
    (mailbox / AFTER_TASK).touch()
    first = worker_process("first")
    ProposalFactory(motion=motion)
    wait_for(lambda: (mailbox / f"{AFTER_TASK}.reached").exists())

    kill(first)  # sent and marked, but the task was never acknowledged to the broker
    (mailbox / AFTER_TASK).unlink()
    assert len(received(mailbox)) == 1
    notification = Notification.objects.get()
    assert notification.sent_at is not None

    worker_process("second")
    wait_for(
        lambda: delivery_runs(mailbox, DELIVER, notification.pk) >= 2,
        message="the task was not redelivered",
    )
    run_beat_twice_and_drain(mailbox)

    record("whole worker killed after sending, before the ack", 1, len(received(mailbox)))
    assert len(received(mailbox)) == 1
    assert Notification.objects.get().attempts == 1  # the second run found it sent


def test_a_worker_killed_before_sending_a_confirmation_loses_nothing(
    worker_process, mailbox, client
):
    motion = MotionFactory()
    (mailbox / BEFORE_SEND).touch()
    first = worker_process("first")
    form = {"email": "bo@example.org", "frequency": "immediate", "target": f"motion:{motion.pk}"}
    assert client.post("/folj/", form).status_code == 200  # commits; its task goes to Redis
    wait_for(lambda: (mailbox / f"{BEFORE_SEND}.reached").exists())

    kill(first)  # claimed, not sent
    (mailbox / BEFORE_SEND).unlink()
    request = MailRequest.objects.get()
    assert request.claimed_at is not None
    assert received(mailbox) == []

    worker_process("second")
    wait_for(
        lambda: delivery_runs(mailbox, DELIVER_REQUEST, request.pk) >= 2,
        message="the task was not redelivered",
    )
    run_beat_twice_and_drain(mailbox)

    mails = received(mailbox)
    record("whole worker killed before sending a confirmation", 1, len(mails))
    assert len(mails) == 1
    assert mails[0]["To"] == "bo@example.org"
    assert motion.case_number in mails[0]["Subject"]
    assert not MailRequest.objects.exists()
