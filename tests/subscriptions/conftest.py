import threading

import pytest
from celery.signals import task_postrun
from django.db import connection

from cms import celery_app
from tests.factories import MotionFactory
from tests.subscriptions.broker import BROKER, point_at


@pytest.fixture
def followed_motion(follow):
    """A published motion that anna@example.org follows, e-mail at once."""
    motion = MotionFactory()
    follow("anna@example.org", motion)
    return motion


def _close_worker_connection(**kwargs):
    if threading.current_thread() is not threading.main_thread():
        connection.close()  # lets the test database be flushed and dropped


@pytest.fixture
def broker():
    """The app publishing to Redis instead of running tasks eagerly; restored afterwards."""
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    point_at(BROKER)
    celery_app.control.purge()
    task_postrun.connect(_close_worker_connection, weak=False)
    yield
    task_postrun.disconnect(_close_worker_connection)
    celery_app.conf.task_always_eager = saved[1]
    point_at(saved[0])
