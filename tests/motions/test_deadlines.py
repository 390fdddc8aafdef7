"""The one-year rule and the legal-effect dates, as the secretariat reads them on a given day."""

from datetime import date
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import timezone

from motions import services
from motions.deadlines import (
    add_years,
    appeal_deadline,
    deadline_for,
    decision_legal_effect,
    motion_deadline_status,
    next_working_day,
)
from motions.models import Appeal, DeadlineAnchor, Motion
from tests.factories import DecisionFactory, MeetingFactory, MotionFactory, OrganFactory


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2024, 2, 29), date(2025, 2, 28)),  # no 29 February in 2025: the month's last day
        (date(2023, 12, 21), date(2024, 12, 21)),
        (date(2023, 2, 28), date(2024, 2, 28)),  # not moved to the leap day
        (date(2024, 3, 1), date(2025, 3, 1)),
    ],
)
def test_one_year_is_counted_as_in_the_law_on_periods(start, expected):
    assert add_years(start, 1) == expected


def test_the_clock_starts_at_raising_when_the_body_counts_from_the_meeting():
    submitted, raised = date(2024, 1, 10), date(2024, 2, 29)
    assert deadline_for(
        anchor=DeadlineAnchor.SUBMITTED, submitted_on=submitted, raised_on=raised
    ) == date(2025, 1, 10)
    assert deadline_for(
        anchor=DeadlineAnchor.RAISED, submitted_on=submitted, raised_on=raised
    ) == date(2025, 2, 28)
    # Not raised yet: counted from submission, so the motion is never missed.
    assert deadline_for(
        anchor=DeadlineAnchor.RAISED, submitted_on=submitted, raised_on=None
    ) == date(2025, 1, 10)


@pytest.mark.parametrize(
    ("posted", "appeal_until"),
    [
        (date(2024, 11, 4), date(2024, 11, 25)),  # a Monday: three weeks later, a Monday
        (date(2024, 12, 3), date(2024, 12, 27)),  # 24 Dec (Christmas eve) → 25, 26 holidays → 27
        (
            date(2025, 3, 29),
            date(2025, 4, 22),
        ),  # Saturday 19 April, Easter Sunday and Monday → Tuesday
        (date(2025, 6, 6), date(2025, 6, 27)),  # a Friday three weeks on stays
        (date(2025, 5, 30), date(2025, 6, 23)),  # 20 June 2025 is midsummer eve → Monday 23
        (date(2025, 12, 10), date(2026, 1, 2)),  # 31 Dec New Year's eve, 1 Jan holiday → Friday 2
    ],
)
def test_the_appeal_deadline_moves_off_weekends_and_swedish_holidays(posted, appeal_until):
    assert appeal_deadline(posted) == appeal_until


def test_next_working_day_skips_national_day_and_weekend():
    assert next_working_day(date(2026, 6, 6)) == date(2026, 6, 8)  # Saturday National Day → Monday


def _motion(**kw):
    defaults = {
        "deadline_on": date(2025, 2, 28),
        "status": "in_preparation",
        "decided_on": None,
        "reported_undecided_on": None,
        "reported_undecided_paragraph": "",
        "body": SimpleNamespace(approaching_window_days=60),
    }
    return SimpleNamespace(**{**defaults, **kw})


@pytest.mark.parametrize(
    ("today", "approaching", "overdue", "needs_report"),
    [
        (date(2024, 12, 29), False, False, False),  # 61 days left
        (date(2024, 12, 30), True, False, False),  # 60 days left: inside the window
        (date(2025, 2, 28), True, False, False),  # the deadline day itself
        (date(2025, 3, 1), False, True, True),
    ],
)
def test_flags_around_the_window_and_the_deadline(today, approaching, overdue, needs_report):
    flags = motion_deadline_status(_motion(), today=today)
    assert (flags.approaching, flags.overdue, flags.needs_report) == (
        approaching,
        overdue,
        needs_report,
    )


def test_a_reported_motion_no_longer_needs_the_report_and_a_decided_one_has_no_flags():
    reported = motion_deadline_status(
        _motion(reported_undecided_on=date(2025, 4, 1)), today=date(2025, 5, 1)
    )
    assert reported.overdue
    assert not reported.needs_report
    late = motion_deadline_status(
        _motion(status="decided", decided_on=date(2025, 3, 20)), today=date(2025, 5, 1)
    )
    assert not late.overdue
    assert late.decided_in_time is False
    on_time = motion_deadline_status(
        _motion(status="decided", decided_on=date(2025, 2, 28)), today=date(2025, 5, 1)
    )
    assert on_time.decided_in_time is True


@pytest.mark.django_db
def test_a_motion_submitted_on_29_february_is_due_28_february_and_overdue_the_day_after():
    motion = MotionFactory(submitted_on=date(2024, 2, 29))
    assert Motion.objects.get(pk=motion.pk).deadline_on == date(2025, 2, 28)
    with time_machine.travel(date(2025, 2, 28)):
        assert not motion_deadline_status(motion, today=timezone.localdate()).overdue
    with time_machine.travel(date(2025, 3, 1)):
        status = motion_deadline_status(motion, today=timezone.localdate())
        assert status.overdue
        assert status.needs_report


@pytest.mark.django_db
def test_raising_moves_the_deadline_for_a_body_counting_from_the_meeting_and_send_back_does_not():
    motion = MotionFactory(submitted_on=date(2024, 1, 10))
    motion.body.deadline_anchor = DeadlineAnchor.RAISED
    motion.body.save()
    council = OrganFactory(body=motion.body)
    services.motion_raise(
        motion=motion, meeting=MeetingFactory(organ=council, date=date(2024, 2, 29))
    )
    assert Motion.objects.get(pk=motion.pk).deadline_on == date(2025, 2, 28)


@pytest.mark.django_db
def test_legal_force_after_the_appeal_period_unless_an_appeal_is_pending():
    decision = DecisionFactory(
        meeting__date=date(2024, 11, 1),
        minutes_approved_on=date(2024, 11, 4),
        notice_posted_on=date(2024, 11, 4),
    )
    before = decision_legal_effect(decision, today=date(2024, 11, 25))
    assert before.appeal_until == date(2024, 11, 25)
    assert not before.has_legal_force
    assert decision_legal_effect(decision, today=date(2024, 11, 26)).has_legal_force

    appeal = Appeal.objects.create(
        decision=decision, case_number="FR 1234-24", lodged_on=date(2024, 11, 20)
    )
    assert not decision_legal_effect(decision, today=date(2025, 1, 1)).has_legal_force
    appeal.result, appeal.result_on = "rejected", date(2025, 3, 3)
    appeal.save()
    # The judgment can itself be appealed: legal force waits for the day it became final.
    assert not decision_legal_effect(decision, today=date(2025, 3, 3)).has_legal_force
    appeal.final_on = date(2025, 3, 25)
    appeal.save()
    effect = decision_legal_effect(decision, today=date(2025, 3, 25))
    assert effect.has_legal_force
    assert effect.legal_force_on == date(2025, 3, 25)


@pytest.mark.django_db
def test_late_minutes_and_late_notice_are_warned():
    decision = DecisionFactory(
        meeting__date=date(2024, 11, 1),
        minutes_approved_on=date(2024, 11, 18),
        notice_posted_on=date(2024, 11, 21),
    )
    effect = decision_legal_effect(decision, today=date(2024, 12, 1))
    assert effect.late_approval
    assert effect.late_notice


@pytest.mark.django_db
def test_the_decision_edit_view_shows_the_appeal_deadline_and_warnings(client, admin_user):
    from django.urls import reverse
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(admin_user)
    decision = DecisionFactory(
        meeting__date=date(2024, 11, 1),
        minutes_approved_on=date(2024, 11, 18),
        notice_posted_on=date(2024, 11, 21),
    )
    page = client.get(
        reverse("wagtailsnippets_motions_decision:edit", args=[decision.pk])
    ).content.decode()
    assert "Can be appealed until 2024-12-12" in page
    assert "more than 14 days after the meeting" in page
    assert "more than 2 days after the minutes were approved" in page
