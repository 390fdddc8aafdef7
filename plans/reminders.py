"""Reminders to the owners of commitments: the organ's contact address once a year, and the
organ's officers (handläggare) before a follow-up is due and when it is late.

When a follow-up is due is one rule, here: a commitment reports at least once a year
(status.STALE_AFTER), so its next follow-up is due a year after the end of the period its latest
published follow-up covered, or a year after the decision when it has none. The admin's list of
late reporters and the reminders both ask `with_followup_due`.

Reminders are claimed in `motions.models.ReminderClaim` before they are sent (the unique key
decides who sends each, see `motions.reminders`) and sent by `motions.reminders.send_batch`, one
e-mail per recipient, so a redelivered task or a second beat process sends nothing twice."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import CharField, F, Q
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import WorkflowState

from motions import reminders as motion_reminders
from motions.models import ReminderClaim, RoleKind

from .models import Commitment, FollowUp
from .status import FINAL_STATUSES

FOLLOWUP_INTERVAL = timedelta(days=365)  # status.STALE_AFTER: a follow-up at least yearly
FOLLOWUP_NOTICE = timedelta(days=14)

OWNER_KIND = "owner"  # ReminderClaim.kind of the officers' reminders


@dataclass(frozen=True)
class Step:
    code: str
    offset: int  # days from the due date: negative before it, positive after
    family: str  # "due" (before the period closes) or "late"; at most one of each per week


# In order. A step is sent from its day until the next step's day; a "due" step only while the
# follow-up is not yet late, so a job that was down never says "in 3 days" of a late one.
OWNER_STEPS = (
    Step("b14", -14, "due"),
    Step("b3", -3, "due"),
    Step("a7", 7, "late"),
    Step("a30", 30, "late"),
)
ONE_PER_WEEK = 7  # days: a second reminder of a family comes on the 7th day at the earliest

# The Swedish mail's own section titles, like the motions' sections beside them.
motion_reminders.register_section_titles(
    {
        (OWNER_KIND, "b14"): "Uppföljning ska lämnas inom 14 dagar",
        (OWNER_KIND, "b3"): "Uppföljning ska lämnas inom 3 dagar",
        (OWNER_KIND, "a7"): "Försenad uppföljning (mer än 7 dagar)",
        (OWNER_KIND, "a30"): "Försenad uppföljning (mer än 30 dagar)",
    }
)


def with_followup_due(queryset):
    """Annotate `followup_since`: the date the next follow-up's year counts from. A
    commitment's follow-up is due on `followup_since + FOLLOWUP_INTERVAL`."""
    return queryset.annotate(
        followup_since=Coalesce(F("last_followup_on"), F("decision__decided_on"))
    )


def due_on(since: date) -> date:
    return since + FOLLOWUP_INTERVAL


def open_commitments():
    """Published commitments still to be carried out: the ones that owe follow-ups."""
    return with_followup_due(
        Commitment.objects.published().exclude(current_status__in=list(FINAL_STATUSES))
    )


def late_commitments(*, today: date):
    """Open commitments whose follow-up was due before `today`, the longest overdue first."""
    return (
        open_commitments()
        .filter(followup_since__lt=today - FOLLOWUP_INTERVAL)
        .order_by("followup_since", "title", "id")
    )


def step_for(*, due: date, today: date) -> Step | None:
    """The reminder a follow-up due on `due` calls for on `today`, if any."""
    days = (today - due).days
    current = None
    for step in OWNER_STEPS:
        if days >= step.offset:
            current = step
    if current is not None and current.family == "due" and days >= 0:
        return None  # due today or late but not yet 7 days: the last "due" reminder was sent
    return current


def threshold(step: Step, due: date, user_id: int) -> str:
    """Unique per step, due date and officer (ReminderClaim's key); at most 20 characters."""
    return f"{step.code}-{due:%Y%m%d}-{user_id}"


def awaiting_approval(commitment_ids) -> set[int]:
    """The commitments among `commitment_ids` with a follow-up submitted and not yet approved
    or rejected (one query)."""
    in_moderation = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(FollowUp),
        status=WorkflowState.STATUS_IN_PROGRESS,
    ).values("object_id")
    return set(
        FollowUp.objects.annotate(key=Cast("pk", CharField()))
        .filter(key__in=in_moderation, commitment__in=list(commitment_ids))
        .values_list("commitment_id", flat=True)
    )


def _officers_by_organ(organ_ids) -> dict[int, list[tuple[int, str]]]:
    rows = (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__role__kind=RoleKind.OFFICER,
            groups__role__organ__in=organ_ids,
        )
        .exclude(email="")
        .values_list("groups__role__organ", "pk", "email")
        .distinct()
    )
    officers: dict[int, list[tuple[int, str]]] = {}
    for organ_id, pk, email in rows:
        officers.setdefault(organ_id, []).append((pk, email))
    return officers


def _recent_families(today: date) -> set[tuple[int, str, str]]:
    """(commitment, family, officer) of the officers' reminders claimed in the past week: on
    one of the 6 days before `today` or on `today` (calendar days, whatever time the beat ran)."""
    families = {step.code: step.family for step in OWNER_STEPS}
    since = timezone.make_aware(datetime.combine(today - timedelta(ONE_PER_WEEK - 1), time.min))
    recent = set()
    for object_id, claimed in ReminderClaim.objects.filter(
        kind=OWNER_KIND, claimed_at__gte=since
    ).values_list("object_id", "threshold"):
        code, _due, user_id = claimed.split("-")
        recent.add((object_id, families.get(code, code), user_id))
    return recent


def owner_candidates(*, today: date) -> list[ReminderClaim]:
    """Unsaved claims for the officers of each open commitment's responsible organ, at most one
    per step and due date, and one per family a week. A fixed number of queries."""
    rows = list(
        open_commitments()
        .filter(followup_since__lte=today - FOLLOWUP_INTERVAL - timedelta(OWNER_STEPS[0].offset))
        .values_list("id", "title", "body_id", "responsible_organ_id", "followup_since")
    )
    if not rows:
        return []
    officers = _officers_by_organ({row[3] for row in rows})
    recent = _recent_families(today)
    waiting = awaiting_approval({row[0] for row in rows})
    claims = []
    for pk, title, body_id, organ_id, since in rows:
        if pk in waiting:
            continue  # the officers have reported; the secretariat has it
        due = due_on(since)
        step = step_for(due=due, today=today)
        if step is None:
            continue
        for user_id, email in officers.get(organ_id, ()):
            if (pk, step.family, str(user_id)) in recent:
                continue
            claims.append(
                ReminderClaim(
                    kind=OWNER_KIND,
                    object_id=pk,
                    threshold=threshold(step, due, user_id),
                    body_id=body_id,
                    recipient=email,
                    subject_line=f"{title} ({due.isoformat()})"[:400],
                )
            )
    return claims


def owner_plan(*, today: date) -> tuple[str, list[str]]:
    """Claim the officers' reminders due today. Returns the run token and the recipients whose
    claims this run won: a claim another run (or an earlier one) made is not this run's."""
    token = uuid.uuid4().hex
    claims = owner_candidates(today=today)
    for claim in claims:
        claim.run_token = token
        try:
            validate_email(claim.recipient)
        except ValidationError:
            claim.error = gettext("Malformed e-mail address: %(address)s") % {
                "address": claim.recipient[:200]
            }
    ReminderClaim.objects.bulk_create(claims, ignore_conflicts=True, batch_size=5000)
    won = ReminderClaim.objects.filter(run_token=token, error="").values_list(
        "recipient", flat=True
    )
    return token, sorted(set(won))


def sent_reminders(commitment_ids) -> dict[int, list[dict]]:
    """The reminders sent about each commitment, to its officers and to the organ's address:
    one entry per step (however many officers got it), newest first. One query."""
    sent: dict[int, dict[tuple, dict]] = {}
    claims = (
        ReminderClaim.objects.filter(
            kind__in=[OWNER_KIND, "commitment"],
            object_id__in=list(commitment_ids),
            sent_at__isnull=False,
        )
        .order_by("-sent_at", "-id")
        .values_list("object_id", "kind", "threshold", "sent_at")
    )
    for object_id, kind, claimed, sent_at in claims:
        code = claimed.split("-")[0]
        due = claimed.split("-")[1] if kind == OWNER_KIND else claimed[3:]
        entry = sent.setdefault(object_id, {}).setdefault(
            (kind, code, due),
            {
                "label": motion_reminders.SECTION_TITLES.get((kind, code), code),
                "sent_at": sent_at,
                "recipients": 0,
            },
        )
        entry["recipients"] += 1
    return {pk: list(steps.values()) for pk, steps in sent.items()}


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
