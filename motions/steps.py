"""The one rule for which lifecycle steps a motion can take now, and which one is likely next.

The admin's lifecycle tab lists `possible_steps` and marks `likely_next`; every service in
`motions.services` asks `refusal` under the motion's row lock before it writes, so a step the
tab does not offer is refused with the same reason whatever path asked for it. A step's key is
the name of its admin form in `motions.lifecycle_forms.ACTIONS`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from .models import EventKind, MotionKind, MotionStatus
from .status import UNDECIDED_STATUSES

# The steps of each kind, in the order the tab lists them.
_COMMON = (
    "raise",
    "refer",
    "response",
    "proposal",
    "schedule",
    "table",
    "send-back",
    "decide",
    "write-off",
    "withdraw",
    "close",
)
# The council may hand a citizen proposal or an e-proposal to a committee to decide (KL 5:23).
_PROPOSALS = (*_COMMON[:7], "hand-over", *_COMMON[7:])
STEPS: dict[str, tuple[str, ...]] = {
    MotionKind.MOTION: _COMMON,
    MotionKind.CITIZEN_PROPOSAL: _PROPOSALS,
    MotionKind.E_PROPOSAL: ("signatures", *_PROPOSALS),
}

# Where the handling usually goes from each status: the first of these that is possible.
_NEXT: dict[str, tuple[str, ...]] = {
    MotionStatus.SUBMITTED: ("raise",),
    MotionStatus.COLLECTING: ("signatures",),
    MotionStatus.RAISED: ("refer", "proposal"),
    MotionStatus.IN_PREPARATION: ("response", "proposal"),
    MotionStatus.PROPOSAL_READY: ("schedule",),
    MotionStatus.SCHEDULED: ("decide",),
    MotionStatus.TABLED: ("schedule", "decide"),
    MotionStatus.SENT_BACK: ("response", "proposal"),
    MotionStatus.DECIDED: ("close",),
    MotionStatus.WRITTEN_OFF: ("close",),
    MotionStatus.WITHDRAWN: ("write-off", "close"),
}
# A committee that was handed the matter puts it on its own meeting's agenda next.
_NEXT_HANDED_OVER = ("response", "schedule")

_ON_AGENDA = frozenset({MotionStatus.SCHEDULED, MotionStatus.TABLED})
_READY_TO_SCHEDULE = frozenset(
    {MotionStatus.PROPOSAL_READY, MotionStatus.TABLED, MotionStatus.SCHEDULED}
)
_ENDED = frozenset({MotionStatus.DECIDED, MotionStatus.WRITTEN_OFF, MotionStatus.WITHDRAWN})


@dataclass(frozen=True)
class Situation:
    """What the rule needs to know about a motion: its kind, derived status and record."""

    kind: str
    status: str
    raised_on: date | None = None
    open_referrals: int = 0
    handed_to_committee: bool = False


def situation_of(motion) -> Situation:
    """Read from the database (two queries): call it on a motion read under its lock, or on a
    fresh one, never on an instance built from a revision."""
    return Situation(
        kind=motion.kind,
        status=motion.status,
        raised_on=motion.raised_at.date if motion.raised_at_id else None,
        open_referrals=motion.referrals.filter(answered_on__isnull=True).count(),
        # An e-proposal that reached its threshold went to its organ as a handed-over one.
        handed_to_committee=motion.events.filter(
            kind__in=[EventKind.HANDED_TO_COMMITTEE, EventKind.THRESHOLD_REACHED]
        ).exists(),
    )


def _undecided(s: Situation, action: str) -> str | None:
    if s.status not in UNDECIDED_STATUSES:
        return _("A motion that is %(status)s cannot be %(action)s.") % {
            "status": MotionStatus(s.status).label,
            "action": action,
        }
    return None


def _raise(s):
    if s.raised_on:
        return _("The motion was already raised on %(date)s.") % {"date": s.raised_on.isoformat()}
    return _undecided(s, _("raised"))


def _response(s):
    if not s.open_referrals:
        return _("There is no unanswered referral to register a response to.")
    return _undecided(s, _("given a referral response"))


def _schedule(s):
    if refused := _undecided(s, _("scheduled")):
        return refused
    if s.status not in _READY_TO_SCHEDULE and not s.handed_to_committee:
        return _("Register the committee's proposal before scheduling the motion.")
    return None


def _table(s):
    if s.status not in _ON_AGENDA:
        return _("Only a motion on a meeting's agenda can be tabled; schedule it first.")
    return None


def _send_back(s):
    if s.status not in _ON_AGENDA:
        return _("Only a motion on a meeting's agenda can be sent back; schedule it first.")
    return None


def _hand_over(s):
    if s.kind == MotionKind.MOTION:
        return _("Only citizen proposals and e-proposals can be handed to a committee to decide.")
    return _undecided(s, _("handed to a committee"))


def _decide(s):
    if refused := _undecided(s, _("decided")):
        return refused
    if not s.raised_on and not s.handed_to_committee:
        return _("It must be raised in the council before its decision can be registered.")
    return None


def _write_off(s):
    # A withdrawn motion is still written off by the council, to end its handling.
    if s.status == MotionStatus.WITHDRAWN:
        return None
    return _undecided(s, _("written off"))


def _signatures(s):
    if s.status != MotionStatus.COLLECTING:
        return _("Only an e-proposal that is collecting signatures can register them.")
    return None


def _close(s):
    if s.status not in _ENDED:
        return _("Only a decided, written-off or withdrawn motion can be closed.")
    return None


# step -> the reason it cannot be taken in a situation, or None when it can.
RULES: dict[str, Callable[[Situation], str | None]] = {
    "raise": _raise,
    "refer": lambda s: _undecided(s, _("referred")),
    "response": _response,
    "proposal": lambda s: _undecided(s, _("given a proposal")),
    "schedule": _schedule,
    "table": _table,
    "send-back": _send_back,
    "hand-over": _hand_over,
    "decide": _decide,
    "write-off": _write_off,
    "withdraw": lambda s: (
        None if s.status == MotionStatus.COLLECTING else _undecided(s, _("withdrawn"))
    ),
    "signatures": _signatures,
    "close": _close,
}


def refusal(situation: Situation, step: str) -> str | None:
    """Why `step` cannot be taken now, or None when it can."""
    if reason := RULES[step](situation):
        return reason
    if step not in STEPS[situation.kind]:
        return _("This step does not apply to a %(kind)s.") % {
            "kind": MotionKind(situation.kind).label
        }
    return None


def possible_steps(situation: Situation) -> list[str]:
    """The steps that can be taken now, in the order of the kind's steps."""
    return [step for step in STEPS[situation.kind] if RULES[step](situation) is None]


def likely_next(situation: Situation, possible: list[str] | None = None) -> str | None:
    """The step the handling usually takes next from here, if it is possible."""
    possible = possible_steps(situation) if possible is None else possible
    preferred = _NEXT.get(situation.status, ())
    if situation.handed_to_committee and situation.status == MotionStatus.IN_PREPARATION:
        preferred = _NEXT_HANDED_OVER
    return next((step for step in preferred if step in possible), None)
