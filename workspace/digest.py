"""The political groups' weekly digest, sent once per user and ISO week.

Exactly-once e-mail cannot come from Celery settings, so each digest is first claimed as a
DigestClaim row whose unique key is (user, ISO week). A run inserts its candidates with its
own run token and `ignore_conflicts`; the rows that carry its token afterwards are the ones it
won, so a re-run, a redelivered task or a second beat process at the same time sends nothing
twice. A user with nothing to say is not claimed, so a later run that week may still write.
"""

import logging
import uuid
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motions.models import RoleKind

from .models import DigestClaim
from .selectors import digest_for

logger = logging.getLogger(__name__)


def iso_week(day) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def recipients():
    """Active users with an e-mail address in a political group."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__role__kind=RoleKind.PARTY_GROUP)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def plan(*, now: datetime | None = None) -> list[int]:
    """Claim this week's digest for every political group member who has something to read
    and has not had it yet; returns the ids of the claims this run won."""
    now = now or timezone.now()
    week, token = iso_week(timezone.localdate(now)), uuid.uuid4().hex
    done = set(DigestClaim.objects.filter(week=week).values_list("user_id", flat=True))
    wanted = [
        DigestClaim(user=user, week=week, run_token=token)
        for user in recipients().exclude(pk__in=done)
        if digest_for(user, now=now)
    ]
    DigestClaim.objects.bulk_create(wanted, ignore_conflicts=True)
    return list(DigestClaim.objects.filter(run_token=token).values_list("pk", flat=True))


def compose(user, digest) -> tuple[str, str]:
    parties = ", ".join(p.name for p in digest.parties)
    subject = _("Weekly digest: %(parties)s") % {"parties": parties}
    body = render_to_string(
        "workspace/digest_email.txt",
        {
            "user": user,
            "parties": parties,
            "digest": digest,
            "workspace_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("workspace_index"),
        },
    )
    return subject, body


def send(*, claim_id: int, now: datetime | None = None) -> int:
    """Send one claimed digest unless it was sent already; read again at delivery, so a record
    made private since the claim is not in it, and nothing goes out if nothing is left."""
    with transaction.atomic():
        claim = (
            DigestClaim.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=claim_id, sent_at__isnull=True)
            .first()
        )
        if claim is None:
            return 0
        digest = digest_for(claim.user, now=now)
        if digest:
            subject, body = compose(claim.user, digest)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [claim.user.email])
        else:
            claim.error = "nothing to say at delivery"
        claim.sent_at = timezone.now()
        claim.save(update_fields=["sent_at", "error"])
    logger.info("Weekly digest %s for user %s: %s", claim.week, claim.user_id, bool(digest))
    return 1 if digest else 0
