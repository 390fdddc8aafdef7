"""The political groups' weekly digest. Tasks are thin: they call `workspace.digest`.

Delivery is at least once (acks_late in settings); the claims in DigestClaim make the e-mail
once per user and ISO week."""

import logging
import smtplib

from celery import shared_task
from django.db import transaction

from . import digest

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def send_digest(claim_id: int) -> int:
    """One claimed digest; retried with backoff on mail errors."""
    return digest.send(claim_id=claim_id)


@shared_task
def send_weekly_digests() -> int:
    """Beat job, Monday morning: claim this week's digests, then queue one e-mail each."""
    with transaction.atomic():
        claims = digest.plan()
        for claim_id in claims:
            send_digest.delay_on_commit(claim_id)
    logger.info("Weekly workspace digests: %d queued", len(claims))
    return len(claims)
