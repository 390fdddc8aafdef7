"""The validation rules shared by the services and the admin forms."""

from datetime import date

import pytest

from motions.models import Decision, VoteMethod
from motions.rules import clause_coverage_errors, decision_errors, party_vote_errors
from tests.factories import MeetingFactory, MotionFactory, OrganFactory


def test_clause_coverage_accepts_one_outcome_per_clause():
    assert clause_coverage_errors(clause_count=3, clause_numbers=[3, 1, 2]) == []


def test_clause_coverage_names_the_missing_clause():
    (error,) = clause_coverage_errors(clause_count=3, clause_numbers=[1, 3])
    assert error.endswith(" 2.")  # "... missing: clause 2." in whichever language is active


def test_clause_coverage_refuses_duplicates_and_unknown_clauses():
    errors = clause_coverage_errors(clause_count=2, clause_numbers=[1, 1, 2, 5])
    assert len(errors) == 2
    assert "1" in errors[0]  # clause 1 twice
    assert "5" in errors[1]  # there is no clause 5


def test_clause_coverage_with_no_outcomes_lists_every_clause():
    (error,) = clause_coverage_errors(clause_count=2, clause_numbers=[])
    assert "1, 2" in error


@pytest.mark.django_db
def test_decision_dated_before_submission_is_refused():
    motion = MotionFactory(submitted_on=date(2024, 2, 1))
    meeting = MeetingFactory(organ=OrganFactory(body=motion.body), date=date(2024, 1, 15))
    decision = Decision(
        body=motion.body,
        meeting=meeting,
        motion=motion,
        paragraph=1,
        decided_on=meeting.date,
        title="x",
    )
    errors = decision_errors(decision)
    assert set(errors) == {"decided_on"}
    assert "2024-02-01" in errors["decided_on"]


@pytest.mark.django_db
def test_votes_must_add_up_to_the_seats():
    council = OrganFactory(seats=61)
    meeting = MeetingFactory(organ=council)
    decision = Decision(
        body=council.body,
        meeting=meeting,
        paragraph=1,
        decided_on=meeting.date,
        title="x",
        vote_method=VoteMethod.VOTE,
        votes_for=30,
        votes_against=20,
        votes_abstaining=5,
        votes_absent=5,
    )
    assert "61" in decision_errors(decision)["votes_for"]
    decision.votes_absent = 6
    assert decision_errors(decision) == {}


@pytest.mark.django_db
def test_a_vote_needs_all_four_counts_and_acclamation_none():
    meeting = MeetingFactory()
    decision = Decision(
        body=meeting.organ.body,
        meeting=meeting,
        paragraph=1,
        decided_on=meeting.date,
        title="x",
        vote_method=VoteMethod.VOTE,
        votes_for=61,
    )
    assert "votes_for" in decision_errors(decision)
    decision.vote_method = VoteMethod.ACCLAMATION
    assert "vote_method" in decision_errors(decision)


@pytest.mark.django_db
def test_meeting_of_another_municipality_is_refused():
    motion = MotionFactory()
    foreign_meeting = MeetingFactory()  # its organ belongs to another Body
    decision = Decision(
        body=motion.body,
        meeting=foreign_meeting,
        motion=motion,
        paragraph=1,
        decided_on=foreign_meeting.date,
        title="x",
    )
    assert "meeting" in decision_errors(decision)


def test_party_votes_must_add_up_to_the_totals():
    decision = Decision(
        vote_method=VoteMethod.VOTE,
        votes_for=3,
        votes_against=2,
        votes_abstaining=0,
        votes_absent=0,
    )
    good = [{"votes_for": 2, "votes_against": 0}, {"votes_for": 1, "votes_against": 2}]
    assert party_vote_errors(decision, good) == []
    bad = [{"votes_for": 2, "votes_against": 0}, {"votes_for": 2, "votes_against": 2}]
    (error,) = party_vote_errors(decision, bad)
    assert "4" in error
    assert "3" in error
