"""Loaded inside the worker process of test_worker_killed.py: a mailbox on disk and two
places where the worker can be told to stop and wait, so the test can kill it there.

The test creates a flag file; the worker touches `<flag>.reached` when it gets there and
waits until the flag is gone (it never is: the test kills the worker first)."""

import time
from pathlib import Path
from uuid import uuid4

from celery import shared_task
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

BEFORE_SEND = "pause-before-send"  # claimed, not yet sent
AFTER_TASK = "pause-after-task"  # sent and marked, task not yet acknowledged
DELIVER = "subscriptions.tasks.deliver_notification"
DELIVER_REQUEST = "subscriptions.tasks.deliver_mail_request"


def mailbox() -> Path:
    return Path(settings.MAILBOX_DIR)


def pause_if_flagged(name: str) -> None:
    flag = mailbox() / name
    if flag.exists():
        (mailbox() / f"{name}.reached").touch()
        while flag.exists():
            time.sleep(0.05)


class MailboxBackend(BaseEmailBackend):
    """One .eml file per message, readable by the test process."""

    def send_messages(self, email_messages):
        pause_if_flagged(BEFORE_SEND)
        for message in email_messages:
            (mailbox() / f"{uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(email_messages)


@task_prerun.connect
def log_delivery_attempt(task=None, args=None, **kwargs):
    """A line per run of a delivery task, so the test can see a task really ran again."""
    if task.name in (DELIVER, DELIVER_REQUEST):
        with (mailbox() / "deliveries.log").open("a") as log:
            log.write(f"{task.name}:{args[0]}\n")


@task_postrun.connect
def pause_after_delivery(task=None, **kwargs):
    if task.name in (DELIVER, DELIVER_REQUEST):
        pause_if_flagged(AFTER_TASK)


@shared_task(name="tests.subscriptions.killable.touch")
def touch(path: str) -> None:
    """Queued last: once the file exists, the worker has run everything queued before it."""
    Path(path).touch()
