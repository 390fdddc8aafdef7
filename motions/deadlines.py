"""Date rules: the one-year rule (KL 5 kap. 35 §) and the legal effect of decisions.

Periods follow lag (1930:173) om beräkning av lagstadgad tid: a period of years ends on the
day with the same number, or the month's last day when there is none (29 February 2024 + one
year = 28 February 2025); a deadline on a Saturday, Sunday, public holiday, midsummer eve,
Christmas eve or New Year's eve moves to the next working day.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from .models.organisation import DeadlineAnchor
from .status import UNDECIDED_STATUSES

APPEAL_PERIOD = timedelta(weeks=3)
MINUTES_APPROVAL_LIMIT_DAYS = 14
NOTICE_LIMIT_DAYS = 2


def add_years(start: date, years: int) -> date:
    """Same day and month `years` later; the last day of February when the date does not exist."""
    year = start.year + years
    day = min(start.day, calendar.monthrange(year, start.month)[1])
    return start.replace(year=year, day=day)


def deadline_for(*, anchor: str, submitted_on: date, raised_on: date | None) -> date:
    """One year from submission, or from the meeting where it was raised when the Body counts
    from there. A motion not yet raised counts from submission, so it is never missed."""
    start = raised_on if anchor == DeadlineAnchor.RAISED and raised_on else submitted_on
    return add_years(start, 1)


@lru_cache(maxsize=64)
def _swedish_holidays(year: int) -> frozenset[date]:
    days = set(holidays.Sweden(years=year, include_sundays=False).keys())
    # Days lag (1930:173) treats as holidays though they are not public holidays.
    days.add(date(year, 12, 24))
    days.add(date(year, 12, 31))
    days.add(next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4))
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _swedish_holidays(day.year)


def next_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def report_clears_flag(*, reported_on: date | None, deadline_on: date | None) -> bool:
    """Only a 5:35 report dated after the deadline answers for the overdue motion: one given
    while it was still inside its year said nothing about the year having run out. The
    QuerySet spelling of the same rule is `MotionQuerySet.needs_report`."""
    return bool(reported_on and deadline_on and reported_on > deadline_on)


@dataclass(frozen=True)
class DeadlineStatus:
    """The flags a motion carries on `today`. `deadline_on` is None only for unsaved motions."""

    deadline_on: date | None
    undecided: bool
    approaching: bool
    overdue: bool
    needs_report: bool
    reported_on: date | None
    reported_paragraph: str
    decided_in_time: bool | None
    days_left: int | None


def motion_deadline_status(
    motion, *, today: date, window_days: int | None = None
) -> DeadlineStatus:
    """Derived flags: approaching inside the Body's window, overdue after the deadline, and
    "needs the 5:35 report" while overdue and not reported after the deadline."""
    deadline_on = motion.deadline_on
    undecided = motion.status in UNDECIDED_STATUSES
    window = window_days if window_days is not None else motion.body.approaching_window_days
    days_left = (deadline_on - today).days if deadline_on else None
    approaching = bool(undecided and deadline_on and 0 <= days_left <= window)
    overdue = bool(undecided and deadline_on and days_left < 0)
    reported_on = motion.reported_undecided_on
    decided_in_time = None
    if motion.decided_on and deadline_on and motion.status not in UNDECIDED_STATUSES:
        decided_in_time = motion.decided_on <= deadline_on
    return DeadlineStatus(
        deadline_on=deadline_on,
        undecided=undecided,
        approaching=approaching,
        overdue=overdue,
        needs_report=overdue
        and not report_clears_flag(reported_on=reported_on, deadline_on=deadline_on),
        reported_on=reported_on,
        reported_paragraph=motion.reported_undecided_paragraph,
        decided_in_time=decided_in_time,
        days_left=days_left,
    )


@dataclass(frozen=True)
class LegalEffect:
    appeal_until: date | None
    has_legal_force: bool
    legal_force_on: date | None
    appeal_pending: bool
    late_approval: bool
    late_notice: bool
    annulled: bool


def appeal_deadline(notice_posted_on: date) -> date:
    """Three weeks from the day the notice was posted, moved to the next working day."""
    return next_working_day(notice_posted_on + APPEAL_PERIOD)


def decision_legal_effect(decision, *, today: date, appeals=None) -> LegalEffect:
    """Legal force (laga kraft) once the appeal period has passed with no appeal, or once every
    court judgment on an appeal has itself become final (`Appeal.final_on`, not the day of the
    judgment) without annulling the decision; an annulled decision never gains it. An appeal
    whose judgment is not yet final counts as pending. `appeals` may be passed to avoid a query."""
    appeals = list(decision.appeals.all()) if appeals is None else list(appeals)
    appeal_until = appeal_deadline(decision.notice_posted_on) if decision.notice_posted_on else None
    annulled = any(a.result == "annulled" for a in appeals)
    pending = not annulled and any(not (a.result and a.final_on) for a in appeals)
    legal_force_on = None
    if appeal_until and not pending and not annulled:
        legal_force_on = max([appeal_until + timedelta(days=1), *(a.final_on for a in appeals)])
    late_approval = bool(
        decision.minutes_approved_on
        and (decision.minutes_approved_on - decision.meeting.date).days
        > MINUTES_APPROVAL_LIMIT_DAYS
    )
    late_notice = bool(
        decision.notice_posted_on
        and decision.minutes_approved_on
        and (decision.notice_posted_on - decision.minutes_approved_on).days > NOTICE_LIMIT_DAYS
    )
    return LegalEffect(
        appeal_until=appeal_until,
        has_legal_force=bool(legal_force_on and today >= legal_force_on),
        legal_force_on=legal_force_on,
        appeal_pending=pending,
        late_approval=late_approval,
        annulled=annulled,
        late_notice=late_notice,
    )
