"""Writes for following without an account, and the outbox that tells followers.

Delivery is at-least-once with an idempotency record: a worker claims a notification
(`claimed_at`) before sending and marks it (`sent_at`) after. A claim older than the task
visibility timeout without `sent_at` is taken again, so a worker that died between claim
and send loses nothing, and one that died after marking sends nothing twice. Only a death
between the SMTP server's acceptance and the mark, a few milliseconds, can send an e-mail
twice: SMTP offers no transaction to join. The repeat then carries the same Message-ID,
which mail systems use to drop duplicates.

Mails a visitor asks for (a confirmation link, a link to their own page) go through the same
kind of outbox, `MailRequest`: the request writes the same row whoever the address belongs
to, so neither the page nor its timing tells who subscribes, and the worker decides whether
there is anything to send.
"""

import logging
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlsplit

from asgiref.local import Local
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import registry
from .models import Event, Frequency, MailRequest, Notification, Subscriber, Subscription

logger = logging.getLogger(__name__)

CONFIRM_MAX_AGE = timedelta(days=3)
# The sweep leaves fresh rows to the task queued on commit.
SWEEP_GRACE = timedelta(minutes=2)
MAX_ATTEMPTS = 20

CONFIRM_SALT = "subscriptions.confirm"
MANAGE_SALT = "subscriptions.manage"
UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"


class LinkError(Exception):
    """A confirmation, unsubscribe or manage link that must change nothing."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "invalid", "expired", "used"


# --- targets -------------------------------------------------------------------------


def target_key(obj) -> str:
    return f"{obj._meta.model_name}:{obj.pk}"


def record_id(value: str) -> int | None:
    """A record id typed in a form or an address: ASCII digits within a 64-bit integer
    ("²" passes `str.isdigit()` and then fails `int()`; a longer number fails the database)."""
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def target_resolve(key: str):
    """The public record behind "motion:12", or None. Drafts cannot be followed."""
    kind, _sep, pk = (key or "").partition(":")
    model = registry.followable_models().get(kind)
    pk = record_id(pk)
    if model is None or pk is None:
        return None
    return _published(model).filter(pk=pk).first()


def _published(model):
    """The model's own publication rule. A model without drafts (an organ, a party) is public."""
    queryset = model._default_manager.all()
    return queryset.published() if hasattr(queryset, "published") else queryset


def is_published(model, pk) -> bool:
    """Asked when an event is recorded and again when it is delivered: the domain's
    `published()` includes every parent, so an unpublished motion silences its decision."""
    return model is not None and _published(model).filter(pk=pk).exists()


# --- links ---------------------------------------------------------------------------


def site_url(model=None, pk=None) -> str:
    """The root of the site that publishes the record (`model`, `pk`), with no trailing
    slash: a municipality's own site, or the installation's base URL."""
    return (registry.root_url(model, pk) or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def absolute_url(path: str, base: str | None = None) -> str:
    """`path` on the site at `base` (the installation's base URL without one). An address
    that is absolute already (a record's on its municipality's site) is left as it is."""
    if urlsplit(path).scheme:
        return path
    return (base or site_url()) + path


def _link(name: str, token: str | None = None, *, base: str | None = None) -> str:
    """A link of this app on the site at `base`: reversed as from the site's root, since a
    request on the path fallback (`/boras/`) may be the one sending the mail."""
    path = reverse(f"subscriptions:{name}", args=[token] if token else [])
    return absolute_url("/" + path[len(get_script_prefix()) :], base)


def target_site_url(target) -> str:
    return site_url(type(target), target.pk)


def subscriber_site_url(subscriber: Subscriber) -> str:
    """The site of the first record the subscriber follows, for links to their own page."""
    first = subscriber.subscriptions.select_related("content_type").order_by("pk").first()
    if first is None:
        return site_url()
    return site_url(first.content_type.model_class(), first.object_id)


def confirm_url(subscription: Subscription, *, base: str | None = None) -> str:
    token = signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscription.pk))
    return _link("confirm", token, base=base)


def manage_link_max_age() -> timedelta:
    return timedelta(days=settings.SUBSCRIPTIONS_MANAGE_LINK_DAYS)


def manage_url(subscriber: Subscriber, *, base: str | None = None) -> str:
    """A link to the subscriber's page that works for `manage_link_max_age()`: a forwarded or
    leaked mail does not give a stranger their follows for ever."""
    token = signing.TimestampSigner(salt=MANAGE_SALT).sign(subscriber.key)
    return _link("manage", token, base=base)


def unsubscribe_url(subscriber: Subscriber, *, base: str | None = None) -> str:
    """Never expires: people must be able to leave from however old a mail. It can only
    delete the address, never show what it follows."""
    token = signing.Signer(salt=UNSUBSCRIBE_SALT).sign(subscriber.key)
    return _link("unsubscribe", token, base=base)


def _subscriber_by_key(key: str) -> Subscriber:
    subscriber = Subscriber.objects.filter(key=key).first()
    if subscriber is None:
        raise LinkError("used")
    return subscriber


def subscriber_from_manage_token(token: str) -> Subscriber:
    """The subscriber whose page the link opens; LinkError "expired" once it is too old."""
    try:
        key = signing.TimestampSigner(salt=MANAGE_SALT).unsign(token, max_age=manage_link_max_age())
    except signing.SignatureExpired as error:
        raise LinkError("expired") from error
    except signing.BadSignature as error:
        raise LinkError("invalid") from error
    except ValueError as error:
        # Signed by us but without a date: a link mailed before links expired.
        raise LinkError("expired") from error
    return _subscriber_by_key(key)


def subscriber_from_unsubscribe_token(token: str) -> Subscriber:
    try:
        key = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature as error:
        raise LinkError("invalid") from error
    return _subscriber_by_key(key)


def subscription_from_confirm_token(token: str) -> Subscription:
    """The unconfirmed subscription the link is for; LinkError when it must not be confirmed."""
    try:
        pk = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired as error:
        raise LinkError("expired") from error
    except signing.BadSignature as error:
        raise LinkError("invalid") from error
    subscription = Subscription.objects.select_related("subscriber").filter(pk=pk).first()
    if subscription is None or subscription.confirmed_at is not None:
        raise LinkError("used")
    return subscription


# --- e-mail --------------------------------------------------------------------------


def message_id(local_part: str) -> str:
    """The same on every worker and every attempt, so a repeat is recognisably the same mail."""
    return f"<{local_part}@{urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or 'localhost'}>"


def _send(
    subscriber: Subscriber,
    *,
    subject: str,
    template: str,
    context: dict,
    msgid: str = "",
    base: str | None = None,
) -> None:
    """Every e-mail carries a one-click unsubscribe link (RFC 8058) and the manage link, on
    the site at `base`: that of the municipality the mail is about."""
    unsubscribe = unsubscribe_url(subscriber, base=base)
    context = {
        **context,
        "unsubscribe_url": unsubscribe,
        "manage_url": manage_url(subscriber, base=base),
    }
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    if msgid:
        headers["Message-ID"] = msgid
    message = EmailMessage(
        # A line break in a record's title would make Django refuse the header, and the mail
        # would fail on every retry: fold all whitespace into single spaces.
        subject=" ".join(subject.split()),
        body=render_to_string(template, context),
        to=[subscriber.email],
        headers=headers,
    )
    message.send()


def _enqueue_on_commit(task, *args) -> None:
    """Like `task.delay_on_commit`, but a broker that is down is logged, not raised: the
    change has committed, its outbox rows with it, and the sweep will deliver them."""

    def enqueue():
        try:
            task.delay(*args)
        except Exception:
            logger.warning(
                "Could not enqueue %s%r; the sweep will retry.", task.name, args, exc_info=True
            )

    transaction.on_commit(enqueue)


# --- following -----------------------------------------------------------------------


def _mail_request(**fields) -> MailRequest:
    from .tasks import deliver_mail_request

    request = MailRequest.objects.create(**fields)
    _enqueue_on_commit(deliver_mail_request, request.pk)
    return request


@transaction.atomic
def follow_request(*, email: str, target, frequency: str) -> MailRequest:
    """Queue a confirmation mail for following `target` (double opt-in).

    Writes one outbox row, the same whether or not the address is known; the worker records
    the unconfirmed follow and mails the link (`mail_request_deliver`)."""
    return _mail_request(
        kind=MailRequest.Kind.CONFIRM,
        email=email.strip().lower(),
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        frequency=frequency,
    )


@transaction.atomic
def manage_link_request(*, email: str) -> MailRequest:
    """Queue a link to the subscriber's page. The row is written for any address, so the
    caller learns nothing about who subscribes; the worker sends nothing to a stranger."""
    return _mail_request(kind=MailRequest.Kind.MANAGE_LINK, email=email.strip().lower())


def mail_request_deliver(*, request_id: int) -> bool:
    """Claim, send if there is anything to send, then delete the row (and the address in it).

    False when another worker has it, it was done already, or there is nothing to send: an
    address that follows nothing asked for its page, or the record was unpublished since."""
    if not _claim(MailRequest.objects.filter(pk=request_id)):
        return False
    request = MailRequest.objects.filter(pk=request_id).select_related("content_type").first()
    if request is None:  # the address was forgotten meanwhile
        return False
    send = _confirmation_send if request.kind == MailRequest.Kind.CONFIRM else _manage_link_send
    try:
        sent = send(request)
    except Exception:
        MailRequest.objects.filter(pk=request_id).update(claimed_at=None)
        raise
    MailRequest.objects.filter(pk=request_id).delete()
    return sent


def _confirmation_send(request: MailRequest) -> bool:
    """Record the unconfirmed follow and mail its link. A confirmed follow is left as it is,
    so a stranger who types someone else's address changes nothing; the owner gets a mail
    saying they already follow it."""
    model = request.content_type.model_class()
    target = _published(model).filter(pk=request.object_id).first() if model else None
    if target is None:
        return False
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(email=request.email)
        subscription, created = Subscription.objects.get_or_create(
            subscriber=subscriber,
            content_type=request.content_type,
            object_id=target.pk,
            defaults={"frequency": request.frequency},
        )
        base = target_site_url(target)
        if (
            not created
            and subscription.confirmed_at is None
            and subscription.frequency != request.frequency
        ):
            subscription.frequency = request.frequency
            subscription.save(update_fields=["frequency"])
    _send(
        subscriber,
        subject=_("Confirm that you want to follow %(target)s") % {"target": target},
        template="subscriptions/email/confirm.txt",
        context={
            "target": target,
            "confirm_url": confirm_url(subscription, base=base),
            "already_confirmed": subscription.confirmed_at is not None,
            "max_age_days": CONFIRM_MAX_AGE.days,
        },
        msgid=message_id(f"confirm-{request.pk}"),
        base=base,
    )
    return True


def _manage_link_send(request: MailRequest) -> bool:
    subscriber = Subscriber.objects.filter(email=request.email).first()
    if subscriber is None:
        return False
    base = subscriber_site_url(subscriber)
    _send(
        subscriber,
        subject=_("Your subscriptions"),
        template="subscriptions/email/manage_link.txt",
        context={
            "max_age_days": manage_link_max_age().days,
            "manage_link_url": _link("manage_link", base=base),
        },
        msgid=message_id(f"manage-link-{request.pk}"),
        base=base,
    )
    return True


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription:
    """Activate the follow. Expired, tampered or reused links raise LinkError, changing nothing."""
    subscription = subscription_from_confirm_token(token)
    updated = Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    if not updated:
        raise LinkError("used")
    subscription.refresh_from_db()
    return subscription


@transaction.atomic
def subscription_delete(*, subscriber: Subscriber, subscription_id: int) -> bool:
    """Stop one follow; the address goes too when it was the last one."""
    deleted, _detail = subscriber.subscriptions.filter(pk=subscription_id).delete()
    if not subscriber.subscriptions.exists():
        subscriber_forget(subscriber=subscriber)
    return bool(deleted)


@transaction.atomic
def subscriber_forget(*, subscriber: Subscriber) -> None:
    """Delete the address and everything tied to it: follows and outbox rows (GDPR art. 17)."""
    MailRequest.objects.filter(email=subscriber.email).delete()
    Notification.objects.filter(subscriber=subscriber).delete()
    Subscription.objects.filter(subscriber=subscriber).delete()
    Subscriber.objects.filter(pk=subscriber.pk).delete()


@transaction.atomic
def unconfirmed_purge() -> int:
    """Forget follows never confirmed within the link's lifetime, addresses left with none,
    and requested mails the sweep gave up on."""
    cutoff = timezone.now() - CONFIRM_MAX_AGE
    MailRequest.objects.filter(created_at__lt=cutoff).delete()
    deleted, _detail = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    Subscriber.objects.filter(subscriptions__isnull=True, created_at__lt=cutoff).delete()
    return deleted


# --- events and the outbox -----------------------------------------------------------


# Set inside `followers_not_told()`: context-local, so other threads and tasks still notify.
_quiet = Local()


@contextmanager
def followers_not_told():
    """Inside, `event_record` writes the event but tells no follower: for writing history (a
    register import of decisions taken years ago), not news. The event is still recorded, so
    a later change to the same record is told as the admin would tell it (a revised proposal
    as revised, a corrected decision not at all)."""
    outer = getattr(_quiet, "value", False)
    _quiet.value = True
    try:
        yield
    finally:
        _quiet.value = outer


def event_record(
    *, kind: str, source, targets, title: str, summary: str = "", path: str = ""
) -> Event | None:
    """Write the event and one outbox row per follower of any of `targets`, in the caller's
    transaction. The domain app describes the change; this app only delivers it.

    Call it inside the service that makes the change public; a rolled-back change leaves no
    rows and enqueues nothing. A source that is not published now returns None. Inside
    `followers_not_told()` only the event is written."""
    from .tasks import notify_event

    if not is_published(type(source), source.pk):
        return None
    if getattr(_quiet, "value", False):
        return Event.objects.create(
            kind=kind, title=title[:400], summary=summary, path=path, **Event.source_key(source)
        )
    keys = {(ContentType.objects.get_for_model(t).pk, t.pk) for t in targets if t is not None}
    with transaction.atomic():
        event = Event.objects.create(
            kind=kind, title=title[:400], summary=summary, path=path, **Event.source_key(source)
        )
        frequencies: dict[int, str] = {}
        for subscriber_id, frequency in (
            Subscription.objects.confirmed()
            .for_targets(keys)
            .values_list("subscriber_id", "frequency")
        ):
            # Someone who wants some of it at once gets this change at once.
            if frequencies.get(subscriber_id) != Frequency.IMMEDIATE:
                frequencies[subscriber_id] = frequency
        Notification.objects.bulk_create(
            [
                Notification(subscriber_id=s, event=event, frequency=f)
                for s, f in frequencies.items()
            ]
        )
        if Frequency.IMMEDIATE in frequencies.values():
            _enqueue_on_commit(notify_event, event.pk)
    return event


def event_exists(*, kind: str, source) -> bool:
    return Event.objects.filter(kind=kind, **Event.source_key(source)).exists()


def visibility_timeout() -> timedelta:
    """How long a claim protects a notification: the broker's redelivery time, so a claim
    expires when the task it belongs to would be handed to another worker anyway."""
    return timedelta(seconds=settings.TASK_VISIBILITY_TIMEOUT)


def _claim(queryset) -> int:
    now = timezone.now()
    return queryset.claimable(now=now, visibility_timeout=visibility_timeout()).update(
        claimed_at=now, attempts=F("attempts") + 1
    )


def _hidden_events(events) -> set[int]:
    """The ids of `events` whose record is no longer published: one query per kind of record,
    however many events (a digest holds a week of them)."""
    sources: dict[int, set[int]] = {}
    for event in events:
        sources.setdefault(event.source_type_id, set()).add(event.source_id)
    public = set()
    for type_id, ids in sources.items():
        model = ContentType.objects.get_for_id(type_id).model_class()  # cached per process
        if model is not None:
            public |= {
                (type_id, pk)
                for pk in _published(model).filter(pk__in=ids).values_list("pk", flat=True)
            }
    return {e.pk for e in events if (e.source_type_id, e.source_id) not in public}


def _cancel(ids) -> None:
    """Never send these: their record is no longer public (unpublished, expired, or a parent
    unpublished). The row stays, unsent, so the sweep and the digest skip it for good."""
    Notification.objects.filter(pk__in=ids, sent_at__isnull=True).update(
        cancelled_at=timezone.now()
    )


def _release(ids) -> None:
    """Give a failed claim back at once, so a retry need not wait for the timeout."""
    Notification.objects.filter(pk__in=ids, sent_at__isnull=True).update(claimed_at=None)


def event_site_url(event: Event) -> str:
    """The site of the municipality an event is about: where its address points, when the
    domain app gave an absolute one, else the site publishing its source."""
    parts = urlsplit(event.path)
    if parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return site_url(
        ContentType.objects.get_for_id(event.source_type_id).model_class(), event.source_id
    )


def notification_deliver(*, notification_id: int) -> bool:
    """Claim, send, mark sent. False when another worker has it or it was sent already."""
    if not _claim(Notification.objects.filter(pk=notification_id, frequency=Frequency.IMMEDIATE)):
        return False
    notification = Notification.objects.select_related("event", "subscriber").get(
        pk=notification_id
    )
    event = notification.event
    if _hidden_events([event]):
        _cancel([notification_id])
        return False
    base = event_site_url(event)
    try:
        _send(
            notification.subscriber,
            subject=f"{event.get_kind_display()}: {event.title}",
            template="subscriptions/email/notification.txt",
            context={
                "event": event,
                "event_url": absolute_url(event.path, base) if event.path else "",
            },
            msgid=message_id(f"notification-{notification_id}"),
            base=base,
        )
    except Exception:
        _release([notification_id])
        raise
    Notification.objects.filter(pk=notification_id).update(sent_at=timezone.now())
    return True


def digest_deliver(*, subscriber_id: int) -> int:
    """One e-mail with every claimable weekly notification of the subscriber."""
    with transaction.atomic():
        pending = Notification.objects.filter(
            subscriber_id=subscriber_id, frequency=Frequency.WEEKLY
        )
        ids = list(
            pending.claimable(now=timezone.now(), visibility_timeout=visibility_timeout())
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        if not ids or not _claim(Notification.objects.filter(pk__in=ids)):
            return 0
    notifications = list(
        Notification.objects.filter(pk__in=ids).select_related("event", "subscriber")
    )
    hidden_events = _hidden_events([n.event for n in notifications])
    hidden = [n.pk for n in notifications if n.event_id in hidden_events]
    if hidden:
        _cancel(hidden)
        notifications = [n for n in notifications if n.pk not in hidden]
        ids = [n.pk for n in notifications]
        if not ids:
            return 0
    events = [n.event for n in notifications]
    base = event_site_url(events[0])  # the links to the subscriber's own page
    try:
        _send(
            notifications[0].subscriber,
            subject=_("This week: %(count)s changes in what you follow") % {"count": len(events)},
            template="subscriptions/email/digest.txt",
            context={
                "items": [
                    (e, absolute_url(e.path, event_site_url(e)) if e.path else "") for e in events
                ],
            },
            msgid=message_id(f"digest-{subscriber_id}-{min(ids)}-{max(ids)}-{len(ids)}"),
            base=base,
        )
    except Exception:
        _release(ids)
        raise
    Notification.objects.filter(pk__in=ids).update(sent_at=timezone.now())
    return len(ids)


def unsent_immediate_ids(*, older_than: timedelta = SWEEP_GRACE) -> list[int]:
    """Outbox rows committed but never sent (lost queue, dead worker, broker down)."""
    now = timezone.now()
    return list(
        Notification.objects.filter(
            frequency=Frequency.IMMEDIATE,
            created_at__lt=now - older_than,
            attempts__lt=MAX_ATTEMPTS,
        )
        .claimable(now=now, visibility_timeout=visibility_timeout())
        .values_list("pk", flat=True)
    )


def unsent_mail_request_ids(*, older_than: timedelta = SWEEP_GRACE) -> list[int]:
    """Requested mails committed but never sent (lost queue, dead worker, broker down)."""
    now = timezone.now()
    return list(
        MailRequest.objects.filter(created_at__lt=now - older_than, attempts__lt=MAX_ATTEMPTS)
        .claimable(now=now, visibility_timeout=visibility_timeout())
        .values_list("pk", flat=True)
    )


def digest_subscriber_ids() -> list[int]:
    return list(
        Notification.objects.unsent()
        .filter(frequency=Frequency.WEEKLY)
        .values_list("subscriber_id", flat=True)
        .distinct()
        .order_by()
    )
