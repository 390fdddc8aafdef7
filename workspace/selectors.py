"""Reads for the political group's workspace and its weekly digest. Everything starts from the
public rule (`published()`): a political group sees what anyone sees, gathered for its party.
The page runs a fixed number of queries however many motions the party has."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from motions.access import reach
from motions.deadlines import DeadlineStatus, motion_deadline_status
from motions.models import CommitteeProposal, Decision, Motion, MotionEvent, Party
from motions.models.lifecycle import EventKind
from motions.queries import MotionQuerySet
from plans.models import Commitment, FollowUp
from plans.queries import CommitmentQuerySet
from plans.status import Schedule

from .models import Watch

DIGEST_PERIOD = timedelta(days=7)
DIGEST_DEADLINE_DAYS = 30


def parties_of(user) -> list[Party]:
    """The parties whose political group `user` belongs to (none for anyone else)."""
    ids = reach(user).parties
    return list(Party.objects.filter(pk__in=ids).select_related("body")) if ids else []


def watches_of(user, *, bodies) -> list[Watch]:
    """The user's watched records that are public now and belong to `bodies`: a watched motion
    that went back to draft, or moved out of reach, simply drops out of the list."""
    public_motion = Q(motion__isnull=False, motion__body__in=bodies) & MotionQuerySet.public_rule(
        "motion__"
    )
    public_commitment = Q(
        commitment__isnull=False, commitment__body__in=bodies
    ) & CommitmentQuerySet.public_rule("commitment__")
    return list(
        Watch.objects.filter(user=user)
        .filter(public_motion | public_commitment)
        .select_related("motion__body", "commitment__decision", "commitment__responsible_organ")
    )


@dataclass
class MotionRow:
    motion: Motion
    deadline: DeadlineStatus
    decisions: list
    commitments: list
    watched: bool

    @property
    def overdue(self) -> bool:
        return self.deadline.overdue or any(
            c.standing.schedule == Schedule.OVERDUE for c in self.commitments
        )


def _overdue_first(commitment) -> tuple:
    return (commitment.standing.schedule != Schedule.OVERDUE, commitment.target_year, commitment.pk)


def party_motions(parties, *, watched_motions=frozenset(), today: date) -> list[MotionRow]:
    """The parties' published motions with their deadline, published decisions and the
    published commitments that followed; overdue ones (the motion or a commitment) first."""
    if not parties:
        return []
    commitments = Commitment.objects.published().select_related("decision", "responsible_organ")
    decisions = (
        Decision.objects.published()
        .select_related("meeting__organ")
        .prefetch_related(Prefetch("commitments", queryset=commitments))
        .order_by("decided_on", "paragraph")
    )
    motions = (
        Motion.objects.published()
        .by_party(parties)
        .select_related("body")
        .prefetch_related(Prefetch("decisions", queryset=decisions))
    )
    rows = []
    for motion in motions:
        motion_decisions = list(motion.decisions.all())
        followed = [c for d in motion_decisions for c in d.commitments.all()]
        rows.append(
            MotionRow(
                motion=motion,
                deadline=motion_deadline_status(motion, today=today),
                decisions=motion_decisions,
                commitments=sorted(followed, key=_overdue_first),
                watched=motion.pk in watched_motions,
            )
        )
    rows.sort(
        key=lambda r: (not r.overdue, r.deadline.deadline_on or date.max, r.motion.case_number)
    )
    return rows


# --- the weekly digest ----------------------------------------------------------------


@dataclass
class Digest:
    """What changed in the last seven days for one user's party and watchlist."""

    parties: list
    decisions: list = field(default_factory=list)
    events: list = field(default_factory=list)
    followups: list = field(default_factory=list)
    deadlines: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.decisions or self.events or self.followups or self.deadlines)


def digest_for(user, *, now: datetime | None = None) -> Digest:
    """The digest `user` would get now: new published decisions, status changes, new
    published follow-ups, and undecided motions due in the next 30 days, for the party's
    published motions and the user's watched records. Empty (falsy) when there is nothing."""
    now = now or timezone.now()
    today, since = timezone.localdate(now), now - DIGEST_PERIOD
    parties = parties_of(user)
    digest = Digest(parties=parties)
    if not parties:
        return digest
    bodies = {p.body_id for p in parties}
    watches = watches_of(user, bodies=bodies)
    motion_ids = set(Motion.objects.published().by_party(parties).values_list("pk", flat=True)) | {
        w.motion_id for w in watches if w.motion_id
    }
    commitment_ids = set(
        Commitment.objects.published()
        .filter(decision__motion_id__in=motion_ids)
        .values_list("pk", flat=True)
    ) | {w.commitment_id for w in watches if w.commitment_id}

    digest.decisions = list(
        Decision.objects.published()
        .filter(motion_id__in=motion_ids, first_published_at__gte=since)
        .select_related("meeting__organ", "motion")
        .order_by("decided_on", "paragraph")
    )
    # A lifecycle step is public with its motion, but a step that points at a proposal or a
    # decision stays private until that record is published. "Decided" is listed above.
    digest.events = list(
        MotionEvent.objects.filter(motion_id__in=motion_ids, created_at__gte=since)
        .exclude(kind=EventKind.DECIDED)
        .filter(Q(decision__isnull=True) | Q(decision__in=Decision.objects.published()))
        .filter(Q(proposal__isnull=True) | Q(proposal__in=CommitteeProposal.objects.published()))
        .select_related("motion")
        .order_by("happened_on", "id")
    )
    digest.followups = list(
        FollowUp.objects.published()
        .filter(commitment_id__in=commitment_ids, first_published_at__gte=since)
        .select_related("commitment")
        .order_by("period_end", "id")
    )
    digest.deadlines = list(
        Motion.objects.published()
        .undecided()
        .filter(
            pk__in=motion_ids,
            deadline_on__gte=today,
            deadline_on__lte=today + timedelta(days=DIGEST_DEADLINE_DAYS),
        )
        .order_by("deadline_on", "case_number")
    )
    return digest
