"""Delivery tasks. Thin: ids in, a service call, retries here.

Tasks are acknowledged late and re-run after a lost worker (settings), so each may run
more than once; the claim in `services` makes the second run send nothing."""

from smtplib import SMTPException

from celery import shared_task

from . import services, throttle
from .models import Frequency, Notification

RETRY = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 10,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**RETRY)
def deliver_mail_request(request_id: int) -> bool:
    """A confirmation link or a link to the subscriber's page, if there is one to send."""
    return services.mail_request_deliver(request_id=request_id)


@shared_task
def notify_event(event_id: int) -> int:
    """Fan out one event to a delivery task per immediate follower."""
    ids = list(
        Notification.objects.unsent()
        .filter(event_id=event_id, frequency=Frequency.IMMEDIATE)
        .values_list("pk", flat=True)
    )
    for pk in ids:
        deliver_notification.delay(pk)
    return len(ids)


@shared_task(**RETRY)
def deliver_notification(notification_id: int) -> bool:
    return services.notification_deliver(notification_id=notification_id)


@shared_task(**RETRY)
def deliver_digest(subscriber_id: int) -> int:
    return services.digest_deliver(subscriber_id=subscriber_id)


@shared_task
def sweep_outbox() -> int:
    """Beat, every minute: re-queue notifications and requested mails committed but never
    sent. Safe to run twice."""
    notification_ids = services.unsent_immediate_ids()
    for pk in notification_ids:
        deliver_notification.delay(pk)
    request_ids = services.unsent_mail_request_ids()
    for pk in request_ids:
        deliver_mail_request.delay(pk)
    return len(notification_ids) + len(request_ids)


@shared_task
def send_weekly_digests() -> int:
    """Beat, weekly: one digest per subscriber with pending weekly notifications."""
    ids = services.digest_subscriber_ids()
    for pk in ids:
        deliver_digest.delay(pk)
    return len(ids)


@shared_task
def purge_unconfirmed() -> int:
    """Beat, daily: forget addresses that never confirmed, requested mails never sent, and
    rate-limit counts that no longer count."""
    throttle.purge()
    return services.unconfirmed_purge()
