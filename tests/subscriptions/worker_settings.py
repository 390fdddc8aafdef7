"""Settings for a worker process that a test starts and kills (test_worker_killed.py).

The test settings, plus: tasks come from the broker, mail goes to a directory both processes
can read (locmem is per process), and an unacknowledged task is handed out again after a
few seconds instead of five minutes."""

import os

from cms.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_IMPORTS = ["tests.subscriptions.killable"]
EMAIL_BACKEND = "tests.subscriptions.killable.MailboxBackend"
MAILBOX_DIR = os.environ["MAILBOX_DIR"]
TASK_VISIBILITY_TIMEOUT = int(os.environ["TASK_VISIBILITY_TIMEOUT"])
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "visibility_timeout": TASK_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 1,  # look for abandoned tasks every second
    "unacked_restore_throttle": 1,
}
