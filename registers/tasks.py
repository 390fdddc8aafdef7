"""Background work for registers. Tasks are thin: they take ids and call the service.

Without a broker (the zero-setup default) a task runs in the request that enqueued it, after
its transaction commits: a small import then simply completes before the run page shows.
"""

import logging

from celery import shared_task
from django.utils import timezone

from . import import_runs

logger = logging.getLogger(__name__)


@shared_task
def import_run_execute(run_id: int) -> str | None:
    """Commit one admin import run (all or nothing). Delivered at least once: a second
    delivery finds the run claimed and does nothing. Returns the run's outcome."""
    return import_runs.run_execute(run_id=run_id)


@shared_task
def sweep_import_runs() -> int:
    """Beat job, daily: delete the files of uploads never imported and end lost runs."""
    ended = import_runs.runs_sweep(now=timezone.now())
    logger.info("Ended %d abandoned or stalled register imports", ended)
    return ended
