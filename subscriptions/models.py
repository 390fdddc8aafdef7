"""Followers without accounts, and an outbox of what to tell them.

A `Subscriber` is only an e-mail address and a secret key for their own page. `Event`
rows hold no personal data; `Notification` is the outbox row (subscriber, event), written
in the same transaction as the change and delivered at least once, claimed before sending.
`MailRequest` is the outbox row of a mail a visitor asked for (a confirmation, a link to
their page), and `RateLimit` counts requests for every process at once."""

import secrets

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_key() -> str:
    return secrets.token_urlsafe(24)


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("at once, one e-mail per change")
    WEEKLY = "weekly", _("a weekly digest")


class Subscriber(models.Model):
    email = models.EmailField(_("e-mail"), unique=True)
    # The bearer secret in the address of the subscriber's own page and unsubscribe links.
    key = models.CharField(max_length=40, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def for_targets(self, targets: list[tuple[int, int]]):
        """Subscriptions to any of the (content type id, object id) pairs."""
        condition = models.Q(pk__in=[])
        for content_type_id, object_id in targets:
            condition |= models.Q(content_type_id=content_type_id, object_id=object_id)
        return self.filter(condition)


class Subscription(models.Model):
    """One followed motion, commitment, organ, party or area. Inactive until confirmed."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "content_type", "object_id"],
                name="subscription_unique_target",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="subscription_target")]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self):
        return f"{self.content_type.model}:{self.object_id}"


class EventKind(models.TextChoices):
    REFERRAL_ANSWERED = "referral_answered", _("A referral was answered")
    PROPOSAL = "proposal", _("A committee proposal was published")
    PROPOSAL_REVISED = "proposal_revised", _("A committee proposal was revised")
    DECISION = "decision", _("A decision was published")
    FOLLOWUP = "followup", _("A follow-up was published")


class Event(models.Model):
    """Something public that changed. Text is copied in so e-mails need no further reads."""

    kind = models.CharField(max_length=20, choices=EventKind.choices)
    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    source_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=400)
    summary = models.TextField(blank=True)
    path = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["source_type", "source_id", "kind"], name="event_source")]

    def __str__(self):
        return f"{self.kind}: {self.title}"

    @classmethod
    def source_key(cls, obj) -> dict:
        return {"source_type": ContentType.objects.get_for_model(obj), "source_id": obj.pk}


class NotificationQuerySet(models.QuerySet):
    def unsent(self):
        """Still to be sent: neither sent nor cancelled because its record went private."""
        return self.filter(sent_at__isnull=True, cancelled_at__isnull=True)

    def claimable(self, *, now, visibility_timeout):
        """Unsent and not claimed by a worker that may still be sending it."""
        return self.unsent().filter(
            models.Q(claimed_at__isnull=True) | models.Q(claimed_at__lt=now - visibility_timeout)
        )


class Notification(models.Model):
    """The outbox row. (subscriber, event) is unique, so an event reaches a person once."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set instead of `sent_at` when the record was no longer public at delivery.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "event"], name="notification_unique_subscriber_event"
            )
        ]
        indexes = [
            models.Index(
                fields=["frequency", "created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="notification_unsent",
            )
        ]

    def __str__(self):
        return f"{self.subscriber_id} ← {self.event_id}"


class MailRequestQuerySet(models.QuerySet):
    def claimable(self, *, now, visibility_timeout):
        """Not claimed by a worker that may still be sending it (a sent request is deleted)."""
        return self.filter(
            models.Q(claimed_at__isnull=True) | models.Q(claimed_at__lt=now - visibility_timeout)
        )


class MailRequest(models.Model):
    """A mail a visitor asked for on the site, waiting for a worker.

    Every address gets a row, known or not, so the request looks and costs the same either
    way; the worker decides whether there is anything to send and deletes the row once it
    has, so the address is kept only until then. Claimed before sending like a
    `Notification`; the sweep re-queues a row whose task was lost."""

    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("confirmation link")
        MANAGE_LINK = "manage_link", _("link to what you follow")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    email = models.EmailField(_("e-mail"))
    # What to follow and how often; empty for a manage link.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    objects = MailRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.kind} {self.pk}"


class RateLimit(models.Model):
    """Requests counted for one hashed key (a client or an e-mail address) in one window.

    In the database so every web process counts the same requests; rows are purged daily."""

    key = models.CharField(max_length=100)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    # When the window stops counting: at the end of the window after it.
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_unique_window")
        ]

    def __str__(self):
        return f"{self.key} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
