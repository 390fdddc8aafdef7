"""Which reminders are due, who sends each of them, and sending them.

Exactly-once e-mail cannot come from Celery settings (QUALITY.md), so every reminder is first
claimed as a ReminderClaim row whose unique key is (record type, record id, threshold). A run
inserts its candidates with its own run token and `ignore_conflicts`; the rows that carry its
token afterwards are the ones it won, so a re-run, a redelivered task or a second worker running
at the same time sends nothing twice. Planning runs a fixed number of queries however many
motions, referrals and commitments there are.
"""

import logging
import uuid
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Body, Motion, Referral, ReminderClaim

logger = logging.getLogger(__name__)

REFERRAL_NOTICE = timedelta(days=14)
# A claim taken but not sent within this time is assumed lost with its task and re-queued.
STALE_CLAIM = timedelta(minutes=15)


def _candidates_motions(today: date) -> list[ReminderClaim]:
    bodies = list(Body.objects.only("id", "approaching_window_days", "secretariat_email"))
    if not bodies:
        return []
    by_id = {b.pk: b for b in bodies}
    window = Q()
    for body in bodies:
        window |= Q(
            body_id=body.pk, deadline_on__lte=today + timedelta(days=body.approaching_window_days)
        )
    rows = (
        Motion.objects.undecided()
        .filter(window, deadline_on__isnull=False)
        .values_list("id", "body_id", "case_number", "title", "deadline_on")
    )
    claims = []
    for pk, body_id, case_number, title, deadline_on in rows.iterator(chunk_size=2000):
        recipient = by_id[body_id].secretariat_email
        if not recipient:
            continue
        threshold = "overdue" if deadline_on < today else "approaching"
        claims.append(
            ReminderClaim(
                kind="motion",
                object_id=pk,
                threshold=threshold,
                body_id=body_id,
                recipient=recipient,
                subject_line=f"{case_number} {title} ({deadline_on.isoformat()})"[:400],
            )
        )
    return claims


def _candidates_referrals(today: date) -> list[ReminderClaim]:
    rows = (
        Referral.objects.filter(
            answered_on__isnull=True,
            due_on__isnull=False,
            due_on__lte=today + REFERRAL_NOTICE,
            motion__in=Motion.objects.undecided(),
        )
        .exclude(organ__contact_email="")
        .values_list(
            "id",
            "due_on",
            "organ__contact_email",
            "organ__name",
            "motion__case_number",
            "motion__title",
            "motion__body_id",
        )
    )
    claims = []
    for pk, due_on, email, organ, case_number, title, body_id in rows.iterator(chunk_size=2000):
        claims.append(
            ReminderClaim(
                kind="referral",
                object_id=pk,
                threshold="late" if due_on < today else "due_14",
                body_id=body_id,
                recipient=email,
                subject_line=f"{case_number} {title}: {organ} ({due_on.isoformat()})"[:400],
            )
        )
    return claims


# Other apps add reminders for their own records (plans: commitments' yearly follow-up) from
# their AppConfig.ready(), so this module imports nothing above it.
_CANDIDATE_SOURCES = []


def register_candidates(source) -> None:
    """`source(today)` returns unsaved ReminderClaim rows for the records it knows."""
    if source not in _CANDIDATE_SOURCES:
        _CANDIDATE_SOURCES.append(source)


def _check_address(claim: ReminderClaim):
    try:
        validate_email(claim.recipient)
    except ValidationError:
        claim.error = _("Malformed e-mail address: %(address)s") % {
            "address": claim.recipient[:200]
        }


def plan(*, today: date) -> tuple[str, list[str]]:
    """Claim every due reminder not claimed before. Returns the run token and the recipients
    this run won; a malformed address is claimed with its error (shown in the admin) and skipped."""
    token = uuid.uuid4().hex
    claims = _candidates_motions(today) + _candidates_referrals(today)
    for source in _CANDIDATE_SOURCES:
        claims += source(today)
    for claim in claims:
        claim.run_token = token
        _check_address(claim)
    ReminderClaim.objects.bulk_create(claims, ignore_conflicts=True, batch_size=5000)
    won = ReminderClaim.objects.filter(run_token=token).values_list(
        "recipient", "error", "kind", "object_id"
    )
    recipients = set()
    for recipient, error, kind, object_id in won:
        if error:
            logger.warning("Reminder for %s %s not sent: %s", kind, object_id, error)
        else:
            recipients.add(recipient)
    return token, sorted(recipients)


def stale_batches(*, now=None) -> list[tuple[str, str]]:
    """(token, recipient) of claims taken long ago but never sent: their task was lost."""
    now = now or timezone.now()
    return sorted(
        set(
            ReminderClaim.objects.filter(
                sent_at__isnull=True, error="", claimed_at__lt=now - STALE_CLAIM
            )
            .filter(
                Q(sending_started_at__isnull=True) | Q(sending_started_at__lt=now - STALE_CLAIM)
            )
            .values_list("run_token", "recipient")
        )
    )


SECTION_TITLES = {
    ("motion", "approaching"): "Motioner som närmar sig ettårsgränsen (KL 5 kap. 35 §)",
    ("motion", "overdue"): "Motioner som passerat ettårsgränsen (KL 5 kap. 35 §)",
    ("referral", "due_14"): "Remissvar som ska lämnas inom 14 dagar",
    ("referral", "late"): "Försenade remissvar",
    ("commitment", "fu"): "Uppdrag där uppföljning ska lämnas",
}


def register_section_titles(titles: dict[tuple[str, str], str]) -> None:
    """Let another app (plans) title the sections of its own reminder kinds: every batch is
    composed here, a re-sent lost batch included."""
    SECTION_TITLES.update(titles)


def _compose(claims: list[ReminderClaim]) -> tuple[str, str]:
    sections = defaultdict(list)
    for claim in claims:
        sections[(claim.kind, claim.threshold.split("-")[0])].append(claim.subject_line)
    lines = []
    for key, title in SECTION_TITLES.items():
        if key in sections:
            lines.append(title)
            lines.extend(f"- {item}" for item in sorted(sections[key]))
            lines.append("")
    subject = _("Beslutsspår: %(count)d reminders") % {"count": len(claims)}
    return subject, "\n".join(lines)


def send_batch(*, token: str, recipient: str) -> int:
    """Send the claims of one run to one recipient as one e-mail. Safe to call again: a batch
    being sent or already sent is left alone. Mail errors release the batch and propagate."""
    now = timezone.now()
    unsent = ReminderClaim.objects.filter(
        run_token=token, recipient=recipient, sent_at__isnull=True, error=""
    )
    taken = unsent.filter(
        Q(sending_started_at__isnull=True) | Q(sending_started_at__lt=now - STALE_CLAIM)
    ).update(sending_started_at=now)
    if not taken:
        return 0
    mine = unsent.filter(sending_started_at=now)
    claims = list(mine)
    subject, body = _compose(claims)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
    except Exception:
        mine.update(sending_started_at=None)
        raise
    with transaction.atomic():
        ReminderClaim.objects.filter(pk__in=[c.pk for c in claims]).update(sent_at=timezone.now())
    logger.info(
        "Sent %d reminders to %s: %s",
        len(claims),
        recipient,
        ", ".join(f"{c.kind} {c.object_id} {c.threshold}" for c in claims),
    )
    return len(claims)
