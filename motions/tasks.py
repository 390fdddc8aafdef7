"""Timed work for the council's record. Tasks are thin: they take ids and call `motions.reminders`.

Delivery is at least once (acks_late + reject_on_worker_lost in settings); the claims in
ReminderClaim make the e-mails exactly once.
"""

import logging
import smtplib

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import reminders

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def send_reminder_batch(self, token: str, recipient: str) -> int:
    """One e-mail with one run's reminders for one recipient; retried with backoff on mail errors."""
    return reminders.send_batch(token=token, recipient=recipient)


@shared_task
def daily_reminders() -> int:
    """Beat job, every morning: claim what is due today, then queue one e-mail per recipient.
    Also re-queues batches whose send task was lost. Returns the number of e-mails queued."""
    with transaction.atomic():
        token, recipients = reminders.plan(today=timezone.localdate())
        batches = [(token, r) for r in recipients] + reminders.stale_batches()
        for batch_token, recipient in batches:
            send_reminder_batch.delay_on_commit(batch_token, recipient)
    logger.info("Daily reminders: %d e-mails queued", len(batches))
    return len(batches)


@shared_task
def close_motions_with_legal_force() -> int:
    """Beat job, daily: decided motions whose decision has legal force become closed."""
    from .services import motions_close_with_legal_force

    closed = motions_close_with_legal_force(today=timezone.localdate())
    logger.info("Closed %d motions whose decisions have legal force", len(closed))
    return len(closed)


@shared_task
def close_lapsed_e_proposals() -> int:
    """Beat job, daily: e-proposals whose signature window ended below the threshold lapse."""
    from .services import e_proposals_close_lapsed

    lapsed = e_proposals_close_lapsed(today=timezone.localdate())
    logger.info("Closed %d lapsed e-proposals", len(lapsed))
    return len(lapsed)
