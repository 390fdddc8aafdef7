"""The status rules (plans.status): schedule signal, flags and what a status must carry."""

from datetime import date

import pytest

from plans.status import (
    Flag,
    Schedule,
    Status,
    action_overdue,
    flags_for,
    followup_errors,
    schedule_for,
)

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("status", "target_year", "progress", "expected"),
    [
        (
            Status.IN_PROGRESS,
            2030,
            40,
            Schedule.ON_TRACK,
        ),  # 2024→2030, 41 % of the time gone, 40 % done
        (Status.IN_PROGRESS, 2030, 5, Schedule.AT_RISK),  # far behind the time elapsed
        (Status.ON_HOLD, 2030, 40, Schedule.AT_RISK),  # paused is never on track
        (Status.IN_PROGRESS, 2025, 90, Schedule.OVERDUE),  # target year over, not finished
        (Status.COMPLETED, 2025, 100, Schedule.FINISHED),  # a final status ends the clock
        (Status.NOT_STARTED, 2030, None, Schedule.AT_RISK),
    ],
)
def test_schedule_is_derived_from_target_year_status_and_progress(
    status, target_year, progress, expected
):
    assert (
        schedule_for(
            status=status, target_year=target_year, progress=progress, start_year=2024, today=TODAY
        )
        == expected
    )


def test_a_commitment_just_decided_is_on_track_before_any_progress():
    assert (
        schedule_for(
            status=Status.NOT_STARTED,
            target_year=2030,
            progress=None,
            start_year=2026,
            today=date(2026, 2, 1),
        )
        == Schedule.ON_TRACK
    )


def test_past_target_year_without_a_final_status_is_flagged():
    flags = flags_for(
        status=Status.IN_PROGRESS, target_year=2020, last_followup_on=date(2026, 8, 31), today=TODAY
    )
    assert flags == [Flag.PAST_TARGET]
    done = flags_for(
        status=Status.COMPLETED, target_year=2020, last_followup_on=date(2026, 8, 31), today=TODAY
    )
    assert Flag.PAST_TARGET not in done


def test_no_follow_up_for_twelve_months_and_none_at_all_are_flagged_differently():
    assert Flag.STALE in flags_for(
        status=Status.IN_PROGRESS, target_year=2030, last_followup_on=date(2025, 11, 1), today=TODAY
    )
    assert Flag.STALE not in flags_for(
        status=Status.IN_PROGRESS, target_year=2030, last_followup_on=date(2026, 1, 1), today=TODAY
    )
    assert flags_for(
        status=Status.NOT_STARTED, target_year=2030, last_followup_on=None, today=TODAY
    ) == [Flag.NO_EVIDENCE]


def test_reported_back_is_a_flag_of_its_own():
    flags = flags_for(
        status=Status.COMPLETED,
        target_year=2026,
        last_followup_on=date(2026, 8, 31),
        reported_back_on=date(2026, 9, 15),
        today=TODAY,
    )
    assert flags == [Flag.REPORTED_BACK]


def test_action_end_passed_while_not_completed():
    assert action_overdue(status=Status.IN_PROGRESS, ends_on=date(2025, 6, 30), today=TODAY)
    assert not action_overdue(status=Status.COMPLETED, ends_on=date(2025, 6, 30), today=TODAY)
    assert not action_overdue(status=Status.IN_PROGRESS, ends_on=date(2027, 6, 30), today=TODAY)


@pytest.mark.parametrize(
    ("status", "reason", "evidence", "superseded_by", "field"),
    [
        (Status.SUPERSEDED, "Nytt beslut", False, None, "superseded_by"),
        (Status.COMPLETED, "", False, None, "reason"),
        (Status.PARTLY_COMPLETED, "", True, None, "reason"),
        (Status.CLOSED_NOT_DONE, "  ", False, None, "reason"),
        (Status.ON_HOLD, "", False, None, "reason"),
    ],
)
def test_final_statuses_need_an_explanation_evidence_or_the_new_decision(
    status, reason, evidence, superseded_by, field
):
    errors = followup_errors(
        status=status, reason=reason, has_evidence=evidence, superseded_by_id=superseded_by
    )
    assert field in errors


@pytest.mark.parametrize(
    ("status", "reason", "evidence", "superseded_by"),
    [
        (Status.COMPLETED, "", True, None),
        (Status.COMPLETED, "Rapporterat i årsredovisningen", False, None),
        (Status.SUPERSEDED, "", False, 7),
        (Status.IN_PROGRESS, "", False, None),
    ],
)
def test_statuses_with_what_they_need_are_accepted(status, reason, evidence, superseded_by):
    assert (
        followup_errors(
            status=status, reason=reason, has_evidence=evidence, superseded_by_id=superseded_by
        )
        == {}
    )
