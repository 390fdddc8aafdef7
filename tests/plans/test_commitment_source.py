"""Commitments come from what a decision approved, or from a decision that gives an
assignment (uppdrag): a rejected clause obliges no one to do anything."""

import itertools
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from motions import services as motion_services
from motions.models import Outcome
from plans import services
from plans.models import Commitment
from tests.factories import DecisionFactory, MeetingFactory, MotionFactory, OrganFactory

pytestmark = pytest.mark.django_db

A, R = Outcome.APPROVED, Outcome.REJECTED
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _commit(decision, **fields):
    return services.commitment_create(
        body=decision.body,
        title=f"Handlingsplan {next(_numbers)}",
        description="Ta fram en handlingsplan.",
        decision=decision,
        responsible_organ=OrganFactory(body=decision.body, executive=True),
        target_year=2030,
        **fields,
    )


def test_a_commitment_comes_from_an_approved_clause_not_a_rejected_one():
    decision = DecisionFactory(outcomes={1: A, 2: R})  # partly approved
    assert _commit(decision, clause_number=1).clause_number == 1
    with pytest.raises(ValidationError) as refused:
        _commit(decision, clause_number=2)
    assert "clause_number" in refused.value.message_dict
    # Without a clause number: the motion was approved in part, which is enough.
    assert _commit(decision).clause_number is None
    assert Commitment.objects.count() == 2


def test_a_rejected_motion_carries_no_commitment_unless_the_decision_gives_an_assignment():
    rejected = DecisionFactory(outcomes={1: R, 2: R})
    with pytest.raises(ValidationError) as refused:
        _commit(rejected)
    assert "decision" in refused.value.message_dict
    assert not Commitment.objects.exists()

    motion = MotionFactory(submitted_on=date(2024, 2, 1))
    assignment = DecisionFactory(motion=motion, outcomes={1: R, 2: R}, gives_assignment=True)
    assert assignment.gives_assignment
    assert _commit(assignment, clause_number=2).decision == assignment


def test_a_decision_on_no_motion_may_always_carry_commitments(body):
    council = OrganFactory(body=body)
    meeting = MeetingFactory(organ=council, date=date(2024, 11, 20))
    budget = motion_services.decision_record(
        body=body,
        meeting=meeting,
        paragraph=200,
        decided_on=meeting.date,
        title="Mål och budget 2025",
    )
    assert _commit(budget).decision == budget
