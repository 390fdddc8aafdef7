"""The import on a real Celery worker and the real Redis broker: committed in the admin, run
by the worker, and run once even when the broker delivers the task twice (acks_late: a task
running longer than the visibility timeout is handed out again)."""

import time

from django.urls import reverse
from wagtail.models import ModelLogEntry

from motions.models import Motion
from registers import importing, tasks
from registers.models import ImportRun, ImportStatus
from tests.celery.test_worker import pytestmark as worker_marks
from tests.celery.test_worker import worker  # noqa: F401 (the fixture)
from tests.registers.test_import_admin_progress import ROWS, scene  # noqa: F401 (the fixture)

pytestmark = worker_marks


def finished(run: ImportRun, timeout: float = 60) -> ImportRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.finished:
            return run
        time.sleep(0.2)
    raise AssertionError(f"the import was still {run.status} after {timeout} s")


def test_a_worker_imports_the_committed_file_once(client, scene, worker):  # noqa: F811
    boras, run, _second = scene
    response = client.post(reverse("registers_import_commit", args=[run.pk]))
    assert response.url == reverse("registers_import_run", args=[run.pk])
    duplicate = tasks.import_run_execute.delay(run.pk)
    duplicate.get(timeout=60)
    run = finished(run)
    assert (run.status, run.creates, run.content) == (ImportStatus.DONE, len(ROWS), None)
    assert Motion.objects.filter(body=boras).count() == len(ROWS)
    assert ModelLogEntry.objects.filter(action=importing.LOG_ACTION).count() == len(ROWS)
