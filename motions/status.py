"""The one place that derives a motion's status and result from its record."""

from dataclasses import dataclass
from datetime import date

from .models.motion import MotionResult, MotionStatus, Outcome

# Statuses after which a motion is no longer prepared: no referrals, proposals or decisions.
FINAL_STATUSES = frozenset(
    {
        MotionStatus.DECIDED,
        MotionStatus.WRITTEN_OFF,
        MotionStatus.WITHDRAWN,
        MotionStatus.CLOSED,
        MotionStatus.LAPSED,
    }
)


# The one list of "not yet decided" statuses; ask `Motion.objects.undecided()` in queries.
UNDECIDED_STATUSES = frozenset(
    {
        MotionStatus.SUBMITTED,
        MotionStatus.RAISED,
        MotionStatus.IN_PREPARATION,
        MotionStatus.PROPOSAL_READY,
        MotionStatus.SCHEDULED,
        MotionStatus.TABLED,
        MotionStatus.SENT_BACK,
    }
)


@dataclass(frozen=True)
class Derived:
    status: str
    result: str
    decided_on: date | None


def result_from_outcomes(outcomes: list[str]) -> str:
    """Approved if every clause was; partly approved if some were; otherwise the common outcome."""
    if not outcomes:
        return MotionResult.PENDING
    distinct = set(outcomes)
    if distinct == {Outcome.APPROVED}:
        return MotionResult.APPROVED
    if Outcome.APPROVED in distinct:
        return MotionResult.PARTLY_APPROVED
    if len(distinct) == 1:
        return MotionResult(next(iter(distinct)))
    return MotionResult.REJECTED if Outcome.REJECTED in distinct else MotionResult.ANSWERED


# Events that move a motion between steps before a decision; the latest one wins.
_STEP_EVENTS = {
    "scheduled": MotionStatus.SCHEDULED,
    "tabled": MotionStatus.TABLED,
    "sent_back": MotionStatus.SENT_BACK,
    "handed_to_committee": MotionStatus.IN_PREPARATION,
    # An e-proposal with enough signatures goes to the organ the municipality's rules name.
    "threshold_reached": MotionStatus.IN_PREPARATION,
}
# Events that say work went on after a step; they end a "sent back" or "tabled" step.
_PROGRESS_EVENTS = {"raised", "referred", "response_registered", "proposal_registered"}


def derive(
    *,
    raised: bool,
    referral_count: int,
    has_proposal: bool,
    decision_outcomes: list[tuple[date, list[str]]],
    events: list[tuple[str, date]] = (),
    e_proposal: bool = False,
) -> Derived:
    """`decision_outcomes` holds (date, clause outcomes) for each published decision on the motion;
    `events` holds (kind, date) of its lifecycle log in order (motions.services writes them).
    An e-proposal collects signatures until it reaches its threshold (or is raised in the
    council), and lapses when its window ends below it."""
    kinds = [kind for kind, _day in events]
    closed = "closed" in kinds
    final = [(d, outcomes) for d, outcomes in decision_outcomes if outcomes]
    if final:
        decided_on, outcomes = max(final, key=lambda item: item[0])
        result = result_from_outcomes(outcomes)
        if closed:
            return Derived(MotionStatus.CLOSED, result, decided_on)
        if result == MotionResult.WRITTEN_OFF:
            return Derived(MotionStatus.WRITTEN_OFF, result, decided_on)
        if result == MotionResult.WITHDRAWN:
            return Derived(MotionStatus.WITHDRAWN, result, decided_on)
        return Derived(MotionStatus.DECIDED, result, decided_on)
    # A write-off or withdrawal without a clause-by-clause decision (e.g. one decision writing
    # off many motions at the end of a term) is recorded as an event.
    for kind, day in reversed(events):
        if kind == "written_off":
            status = MotionStatus.CLOSED if closed else MotionStatus.WRITTEN_OFF
            return Derived(status, MotionResult.WRITTEN_OFF, day)
        if kind == "withdrawn":
            status = MotionStatus.CLOSED if closed else MotionStatus.WITHDRAWN
            return Derived(status, MotionResult.WITHDRAWN, None)
        if kind == "lapsed":
            return Derived(MotionStatus.LAPSED, MotionResult.PENDING, None)
    if e_proposal and not raised and "threshold_reached" not in kinds:
        return Derived(MotionStatus.COLLECTING, MotionResult.PENDING, None)
    for kind, _day in reversed(events):
        if kind in _STEP_EVENTS:
            return Derived(_STEP_EVENTS[kind], MotionResult.PENDING, None)
        if kind in _PROGRESS_EVENTS:
            break
    if has_proposal:
        status = MotionStatus.PROPOSAL_READY
    elif referral_count:
        status = MotionStatus.IN_PREPARATION
    elif raised:
        status = MotionStatus.RAISED
    else:
        status = MotionStatus.SUBMITTED
    return Derived(status, MotionResult.PENDING, None)


def derive_for(motion) -> Derived:
    """Derive from the database state of one motion (published proposals and decisions only)."""
    decisions = motion.decisions.published().prefetch_related("clause_outcomes")
    return derive(
        raised=bool(motion.raised_at_id),
        referral_count=motion.referrals.count(),
        has_proposal=motion.proposals.published().exists(),
        decision_outcomes=[
            (d.decided_on, [o.outcome for o in d.clause_outcomes.all()]) for d in decisions
        ],
        events=list(motion.events.order_by("happened_on", "id").values_list("kind", "happened_on")),
        e_proposal=motion.kind == "e_proposal",
    )
