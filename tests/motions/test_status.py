"""The derived status and result: one code path (motions.status), fed by the published record."""

from datetime import date, timedelta

import pytest

from motions import services
from motions.models import Motion, MotionResult, MotionStatus, Outcome
from motions.status import derive, result_from_outcomes
from tests.factories import (
    DecisionFactory,
    MeetingFactory,
    MotionFactory,
    OrganFactory,
    ProposalFactory,
)

A, R, ANS, W, WD = (
    Outcome.APPROVED,
    Outcome.REJECTED,
    Outcome.ANSWERED,
    Outcome.WRITTEN_OFF,
    Outcome.WITHDRAWN,
)


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([], MotionResult.PENDING),
        ([A], MotionResult.APPROVED),
        ([A, A, A], MotionResult.APPROVED),
        ([A, R], MotionResult.PARTLY_APPROVED),
        ([R, A, ANS], MotionResult.PARTLY_APPROVED),
        ([R, R], MotionResult.REJECTED),
        ([ANS], MotionResult.ANSWERED),
        ([R, ANS], MotionResult.REJECTED),
        ([ANS, W], MotionResult.ANSWERED),
        ([W, W], MotionResult.WRITTEN_OFF),
        ([WD], MotionResult.WITHDRAWN),
    ],
)
def test_result_is_derived_from_clause_outcomes(outcomes, expected):
    assert result_from_outcomes(outcomes) == expected


def test_status_follows_the_preparation_until_a_decision():
    assert (
        derive(raised=False, referral_count=0, has_proposal=False, decision_outcomes=[]).status
        == "submitted"
    )
    assert (
        derive(raised=True, referral_count=0, has_proposal=False, decision_outcomes=[]).status
        == "raised"
    )
    assert (
        derive(raised=True, referral_count=1, has_proposal=False, decision_outcomes=[]).status
        == "in_preparation"
    )
    assert (
        derive(raised=True, referral_count=1, has_proposal=True, decision_outcomes=[]).status
        == "proposal_ready"
    )


def test_latest_decision_with_outcomes_decides_and_a_decision_without_outcomes_does_not():
    tabled = (date(2024, 5, 1), [])  # e.g. bordlagt: a § with no clause outcomes
    first = (date(2024, 6, 1), [R, R])
    later = (date(2024, 9, 1), [A, R])
    derived = derive(
        raised=True, referral_count=0, has_proposal=True, decision_outcomes=[later, tabled, first]
    )
    assert derived == derive(
        raised=False, referral_count=0, has_proposal=False, decision_outcomes=[first, later]
    )
    assert (derived.status, derived.result, derived.decided_on) == (
        "decided",
        "partly_approved",
        date(2024, 9, 1),
    )
    only_tabled = derive(
        raised=True, referral_count=0, has_proposal=True, decision_outcomes=[tabled]
    )
    assert (only_tabled.status, only_tabled.result, only_tabled.decided_on) == (
        "proposal_ready",
        "",
        None,
    )


def test_written_off_and_withdrawn_are_their_own_states():
    assert (
        derive(
            raised=True,
            referral_count=0,
            has_proposal=False,
            decision_outcomes=[(date(2025, 1, 1), [W, W])],
        ).status
        == "written_off"
    )
    assert (
        derive(
            raised=True,
            referral_count=0,
            has_proposal=False,
            decision_outcomes=[(date(2025, 1, 1), [WD])],
        ).status
        == "withdrawn"
    )


# --- the stored status through the services ---------------------------------------------------


def stored(motion):
    return Motion.objects.values_list("status", "result", "decided_on").get(pk=motion.pk)


@pytest.mark.django_db
def test_status_through_the_motions_life():
    motion = MotionFactory(submitted_on=date(2024, 2, 1))
    assert stored(motion) == (MotionStatus.SUBMITTED, "", None)

    council = OrganFactory(body=motion.body)
    executive = OrganFactory(body=motion.body, executive=True)
    services.motion_refer(motion=motion, organ=executive, sent_on=date(2024, 3, 1))
    assert stored(motion)[0] == MotionStatus.IN_PREPARATION

    ProposalFactory(motion=motion, organ=executive, outcomes={1: A, 2: ANS})
    assert stored(motion)[0] == MotionStatus.PROPOSAL_READY

    meeting = MeetingFactory(organ=council, date=date(2024, 9, 23))
    DecisionFactory(motion=motion, meeting=meeting, decided_on=meeting.date, outcomes={1: A, 2: R})
    assert stored(motion) == (MotionStatus.DECIDED, MotionResult.PARTLY_APPROVED, date(2024, 9, 23))


@pytest.mark.django_db
def test_drafts_do_not_change_the_public_status():
    """A draft proposal or decision is not yet on the record: the status must not leak it."""
    motion = MotionFactory()
    ProposalFactory(motion=motion, publish=False)
    DecisionFactory(motion=motion, publish=False)
    assert stored(motion) == (MotionStatus.SUBMITTED, "", None)


@pytest.mark.django_db
def test_publishing_a_draft_decision_from_the_admin_updates_the_status():
    motion = MotionFactory(clauses=["att A", "att B", "att C"])
    decision = DecisionFactory(motion=motion, outcomes={1: A, 2: A, 3: A}, publish=False)
    decision.save_revision().publish()  # what the admin's Publish button does
    assert stored(motion)[:2] == (MotionStatus.DECIDED, MotionResult.APPROVED)


@pytest.mark.django_db
def test_written_off_decision_sets_status_written_off():
    motion = MotionFactory()
    DecisionFactory(motion=motion, outcomes={1: W, 2: W})
    assert stored(motion)[:2] == (MotionStatus.WRITTEN_OFF, MotionResult.WRITTEN_OFF)


@pytest.mark.django_db
def test_raised_motion_is_raised():
    council = OrganFactory()
    meeting = MeetingFactory(organ=council, date=date(2024, 2, 26))
    motion = MotionFactory(
        body=council.body, submitted_on=meeting.date - timedelta(days=10), raised_at=meeting
    )
    assert stored(motion)[0] == MotionStatus.RAISED
