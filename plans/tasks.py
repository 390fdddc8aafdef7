"""Timed work for commitments and follow-ups. Tasks are thin: they call `plans.reminders`.

Delivery is at least once; the claims in ReminderClaim make the e-mails exactly once, also
with two beat processes (or a re-run) planning the same day at the same time."""

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from motions.tasks import send_reminder_batch

from . import reminders

logger = logging.getLogger(__name__)


@shared_task
def owner_reminders() -> int:
    """Beat job, every morning: claim the officers' reminders due today (14 and 3 days before a
    follow-up is due, 7 and 30 days after), then queue one e-mail per officer. Returns the
    number of e-mails queued. A lost e-mail task is re-queued by `motions.tasks.daily_reminders`."""
    with transaction.atomic():
        token, recipients = reminders.owner_plan(today=timezone.localdate())
        for recipient in recipients:
            send_reminder_batch.delay_on_commit(token, recipient)
    logger.info("Owner reminders: %d e-mails queued", len(recipients))
    return len(recipients)
