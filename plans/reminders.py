"""Reminders to the organ that owns a commitment when its yearly follow-up is due or late.
The daily reminder job in `motions.reminders` claims and sends them with the motions' own."""

from datetime import date, timedelta

from django.db.models import Q

from motions.models import ReminderClaim

from .models import Commitment
from .status import FINAL_STATUSES

FOLLOWUP_INTERVAL = timedelta(days=365)  # status.STALE_AFTER: a follow-up at least yearly
FOLLOWUP_NOTICE = timedelta(days=14)


def commitment_candidates(today: date) -> list[ReminderClaim]:
    """Commitments whose yearly follow-up is due within 14 days or late; the threshold names
    the date counted from, so the next year's reminder is a new claim."""
    cutoff = today - FOLLOWUP_INTERVAL + FOLLOWUP_NOTICE
    rows = (
        Commitment.objects.published()
        .exclude(current_status__in=list(FINAL_STATUSES))
        .filter(
            Q(last_followup_on__lte=cutoff)
            | Q(last_followup_on__isnull=True, decision__decided_on__lte=cutoff)
        )
        .exclude(responsible_organ__contact_email="")
        .values_list(
            "id",
            "title",
            "body_id",
            "last_followup_on",
            "decision__decided_on",
            "responsible_organ__contact_email",
        )
    )
    claims = []
    for pk, title, body_id, last_on, decided_on, email in rows.iterator(chunk_size=2000):
        since = last_on or decided_on
        claims.append(
            ReminderClaim(
                kind="commitment",
                object_id=pk,
                threshold=f"fu-{since.isoformat()}",
                body_id=body_id,
                recipient=email,
                subject_line=f"{title} ({(since + FOLLOWUP_INTERVAL).isoformat()})"[:400],
            )
        )
    return claims
