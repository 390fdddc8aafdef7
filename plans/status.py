"""The status rules of commitments and actions, in one place.

People set a status through follow-ups; the schedule signal and the flags are derived here
and used alike by the public pages, the filters, the admin and (later) the API."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Set by people, in a published follow-up. The first is the default for a new commitment."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    COMPLETED = "completed", _("Completed")
    PARTLY_COMPLETED = "partly_completed", _("Partly completed")
    CLOSED_NOT_DONE = "closed_not_done", _("Closed, not carried out")
    SUPERSEDED = "superseded", _("Superseded by a new decision")


FINAL_STATUSES = frozenset(
    {Status.COMPLETED, Status.PARTLY_COMPLETED, Status.CLOSED_NOT_DONE, Status.SUPERSEDED}
)


class Schedule(models.TextChoices):
    """Derived, never typed."""

    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OVERDUE = "overdue", _("Overdue")
    FINISHED = "finished", _("Finished")


class Flag(models.TextChoices):
    PAST_TARGET = "past_target", _("Past its target year without a final status")
    STALE = "stale", _("No published follow-up for 12 months")
    NO_EVIDENCE = "no_evidence", _("No published follow-up at all")
    REPORTED_BACK = "reported_back", _("Reported back to the council")


STALE_AFTER = timedelta(days=365)
# A commitment whose progress lags the share of its time that has passed by more than this is at risk.
AT_RISK_LAG = 25


def followup_errors(*, status: str, reason: str, has_evidence: bool, superseded_by_id) -> dict:
    """What a follow-up with this status must carry (DESIGN.md §4): a final or paused status
    is never accepted without an explanation, evidence or the new decision."""
    errors = {}
    if status == Status.SUPERSEDED and not superseded_by_id:
        errors["superseded_by"] = _("Link the new decision that replaced this one.")
    if status == Status.COMPLETED and not (has_evidence or reason.strip()):
        errors["reason"] = _("Say what shows it is completed: an evidence link or an explanation.")
    if (
        status in (Status.PARTLY_COMPLETED, Status.CLOSED_NOT_DONE, Status.ON_HOLD)
        and not reason.strip()
    ):
        errors["reason"] = _("Explain why the status is %(status)s.") % {
            "status": Status(status).label.lower()
        }
    return errors


def schedule_for(
    *,
    status: str,
    target_year: int | None,
    progress: int | None,
    start_year: int | None,
    today: date | None = None,
) -> str:
    """On track, at risk or overdue, from the target year, status, progress and time elapsed.

    Overdue: the target year has ended without a final status. At risk: on hold, or progress
    lags the share of the period that has passed by more than AT_RISK_LAG points."""
    today = today or timezone.localdate()
    if status in FINAL_STATUSES:
        return Schedule.FINISHED
    if target_year and today.year > target_year:
        return Schedule.OVERDUE
    if status == Status.ON_HOLD:
        return Schedule.AT_RISK
    if target_year and start_year and target_year >= start_year:
        span = date(target_year, 12, 31) - date(start_year, 1, 1)
        elapsed = (today - date(start_year, 1, 1)) / span if span.days else 1
        expected = max(0, min(100, round(elapsed * 100)))
        if expected - (progress or 0) > AT_RISK_LAG:
            return Schedule.AT_RISK
    return Schedule.ON_TRACK


def flags_for(
    *,
    status: str,
    target_year: int | None,
    last_followup_on: date | None,
    reported_back_on: date | None = None,
    today: date | None = None,
) -> list[str]:
    today = today or timezone.localdate()
    flags = []
    if target_year and today.year > target_year and status not in FINAL_STATUSES:
        flags.append(Flag.PAST_TARGET)
    if last_followup_on is None:
        flags.append(Flag.NO_EVIDENCE)
    elif today - last_followup_on > STALE_AFTER:
        flags.append(Flag.STALE)
    if reported_back_on:
        flags.append(Flag.REPORTED_BACK)
    return flags


def action_overdue(*, status: str, ends_on: date | None, today: date | None = None) -> bool:
    """An action whose end date has passed while it is not completed."""
    today = today or timezone.localdate()
    return bool(ends_on and ends_on < today and status not in FINAL_STATUSES)


def flag_q(flag: str, today: date | None = None) -> Q:
    """The same flags as `flags_for`, as a filter over the denormalised commitment columns."""
    today = today or timezone.localdate()
    final = list(FINAL_STATUSES)
    if flag == Flag.PAST_TARGET:
        return Q(target_year__lt=today.year) & ~Q(current_status__in=final)
    if flag == Flag.STALE:
        return Q(last_followup_on__lt=today - STALE_AFTER)
    if flag == Flag.NO_EVIDENCE:
        return Q(last_followup_on__isnull=True)
    if flag == Flag.REPORTED_BACK:
        return Q(reported_back_on__isnull=False)
    raise ValueError(flag)


def schedule_q(signal: str, today: date | None = None) -> Q:
    """Filter for the schedule signals that need no per-row arithmetic (overdue, finished)."""
    today = today or timezone.localdate()
    final = list(FINAL_STATUSES)
    if signal == Schedule.FINISHED:
        return Q(current_status__in=final)
    if signal == Schedule.OVERDUE:
        return Q(target_year__lt=today.year) & ~Q(current_status__in=final)
    raise ValueError(signal)


@dataclass(frozen=True)
class Standing:
    """Everything a page shows about where a commitment stands."""

    status: str
    schedule: str
    flags: list
    progress: int | None

    @property
    def status_label(self):
        return Status(self.status).label

    @property
    def schedule_label(self):
        return Schedule(self.schedule).label

    @property
    def flag_labels(self):
        return [Flag(f).label for f in self.flags]

    @property
    def has_evidence(self):
        return Flag.NO_EVIDENCE not in self.flags


def standing_of(commitment, today: date | None = None) -> Standing:
    """From the denormalised columns only, so a list of 50 costs no extra query."""
    start = (
        commitment.decision.decided_on.year
        if commitment.decision_id and commitment.decision
        else None
    )
    return Standing(
        status=commitment.current_status,
        schedule=schedule_for(
            status=commitment.current_status,
            target_year=commitment.target_year,
            progress=commitment.current_progress,
            start_year=start,
            today=today,
        ),
        flags=flags_for(
            status=commitment.current_status,
            target_year=commitment.target_year,
            last_followup_on=commitment.last_followup_on,
            reported_back_on=commitment.reported_back_on,
            today=today,
        ),
        progress=commitment.current_progress,
    )
