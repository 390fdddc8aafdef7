"""Writes through motions.services: bad input is refused with a clear message and nothing is saved."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Revision

from motions import services
from motions.models import (
    Clause,
    CommitteeProposal,
    Decision,
    DecisionClauseOutcome,
    Motion,
    MotionStatus,
    Outcome,
    Submitter,
    VoteMethod,
)
from motions.selectors import proposal_versions, text_diff
from tests.factories import (
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
    MotionFactory,
    OrganFactory,
    PartyFactory,
    PersonFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db

A, R, ANS = Outcome.APPROVED, Outcome.REJECTED, Outcome.ANSWERED


def record_counts():
    """Every table a refused write could have touched."""
    return {
        model.__name__: model.objects.count()
        for model in (
            Motion,
            Clause,
            Submitter,
            CommitteeProposal,
            Decision,
            DecisionClauseOutcome,
            Revision,
        )
    }


def messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@pytest.fixture
def motion():
    return MotionFactory(submitted_on=date(2023, 12, 21), clauses=["att A", "att B"])


@pytest.fixture
def council_meeting(motion):
    return MeetingFactory(organ=OrganFactory(body=motion.body, seats=61), date=date(2024, 9, 23))


# --- creating a motion ------------------------------------------------------------------


def test_motion_create_saves_a_published_motion_with_clauses_in_order_and_a_revision():
    party = PartyFactory(abbreviation="M")
    person = PersonFactory(body=party.body, name="Anna Christensen")
    motion = services.motion_create(
        body=party.body,
        case_number="KS 2023-00987",
        title="Inga särskilt utsatta områden",
        submitted_on=date(2023, 12, 21),
        clauses=["att första", "att andra"],
        submitters=[{"person": person, "party": party}],
        publish=True,
    )
    motion.refresh_from_db()
    assert motion.live
    assert motion.slug == "ks-2023-00987"
    assert motion.status == MotionStatus.SUBMITTED
    assert [c.text for c in motion.clauses.all()] == ["att första", "att andra"]
    assert str(motion.submitters.get()) == "Anna Christensen (M)"
    assert Revision.objects.for_instance(motion).count() == 1


def test_motion_create_without_publish_is_a_draft():
    assert MotionFactory(publish=False).live is False


def test_motion_without_clauses_is_refused():
    body = BodyFactory()
    before = record_counts()
    with pytest.raises(ValidationError, match="clause"):
        services.motion_create(
            body=body,
            case_number="1",
            title="t",
            submitted_on=date(2024, 1, 1),
            clauses=[],
            submitters=[],
        )
    assert record_counts() == before


def test_duplicate_case_number_in_the_same_body_is_refused_and_nothing_is_saved():
    first = MotionFactory(case_number="KS 2024-00001")
    before = record_counts()
    with pytest.raises(ValidationError) as exc:
        MotionFactory(body=first.body, case_number="KS 2024-00001")
    assert "case_number" in exc.value.message_dict or "__all__" in exc.value.message_dict
    assert record_counts() == before


def test_the_same_case_number_is_allowed_in_another_body():
    MotionFactory(case_number="KS 2024-00001")
    other = MotionFactory(case_number="KS 2024-00001")
    assert Motion.objects.filter(case_number="KS 2024-00001").count() == 2
    assert other.slug == "ks-2024-00001"


def test_case_numbers_that_give_the_same_address_are_refused():
    """`KS 2024 1` and `KS 2024-1` would share the URL /ks-2024-1/: the second must be refused, not crash."""
    first = MotionFactory(case_number="KS 2024 1")
    before = record_counts()
    with pytest.raises(ValidationError):
        MotionFactory(body=first.body, case_number="KS 2024-1")
    assert record_counts() == before


def test_a_bad_submitter_rolls_back_the_whole_motion():
    """The submitter is checked after the motion row is written: the transaction must undo it."""
    person = PersonFactory()
    before = record_counts()
    with pytest.raises(ValidationError, match="party"):
        MotionFactory(body=person.body, submitters=[{"person": person}])  # a member without a party
    assert record_counts() == before


def test_a_motion_cannot_be_referred_before_it_was_submitted(motion):
    executive = OrganFactory(body=motion.body, executive=True)
    with pytest.raises(ValidationError, match="2023-12-21"):
        services.motion_refer(motion=motion, organ=executive, sent_on=date(2023, 12, 1))
    assert not motion.referrals.exists()


# --- recording a decision -----------------------------------------------------------------


def test_decision_record_saves_outcomes_votes_and_publishes(motion, council_meeting):
    party = PartyFactory(body=motion.body)
    decision = services.decision_record(
        body=motion.body,
        meeting=council_meeting,
        paragraph=123,
        decided_on=council_meeting.date,
        title="Svar på motion",
        motion=motion,
        outcomes={1: A, 2: R},
        vote_method=VoteMethod.VOTE,
        votes=(40, 15, 2, 4),
        party_votes=[
            {
                "party": party,
                "votes_for": 40,
                "votes_against": 15,
                "votes_abstaining": 2,
                "votes_absent": 4,
            }
        ],
        statements=[{"party": party, "text": "Vi reserverar oss."}],
    )
    decision.refresh_from_db()
    assert decision.live
    assert decision.case_number == motion.case_number
    assert sorted(decision.clause_outcomes.values_list("clause_number", "outcome")) == [
        (1, A),
        (2, R),
    ]
    assert decision.vote_total == 61
    assert decision.statements.get().text == "Vi reserverar oss."
    motion.refresh_from_db()
    assert (motion.status, motion.result) == ("decided", "partly_approved")


def test_decision_dated_before_submission_is_refused(motion):
    early = MeetingFactory(organ=OrganFactory(body=motion.body), date=date(2023, 12, 1))
    before = record_counts()
    with pytest.raises(ValidationError) as exc:
        DecisionFactory(motion=motion, meeting=early, decided_on=early.date)
    assert "2023-12-21" in messages(exc.value)  # says which date it must follow
    assert "decided_on" in exc.value.message_dict
    assert record_counts() == before
    motion.refresh_from_db()
    assert motion.status == MotionStatus.SUBMITTED


@pytest.mark.parametrize(
    "outcomes",
    [{1: A}, {}, {1: A, 2: R, 3: A}],
    ids=["clause 2 missing", "no outcomes", "clause 3 does not exist"],
)
def test_decision_whose_outcomes_do_not_cover_every_clause_is_refused(
    motion, council_meeting, outcomes
):
    before = record_counts()
    with pytest.raises(ValidationError) as exc:
        DecisionFactory(motion=motion, meeting=council_meeting, outcomes=outcomes)
    assert "outcomes" in exc.value.message_dict
    assert record_counts() == before


def test_vote_counts_not_adding_up_to_the_seats_are_refused(motion, council_meeting):
    before = record_counts()
    with pytest.raises(ValidationError) as exc:
        DecisionFactory(
            motion=motion,
            meeting=council_meeting,
            vote_method=VoteMethod.VOTE,
            votes=(30, 20, 5, 5),
        )
    assert "60" in messages(exc.value)
    assert "61" in messages(exc.value)
    assert record_counts() == before


def test_party_votes_not_adding_up_are_refused(motion, council_meeting):
    party = PartyFactory(body=motion.body)
    before = record_counts()
    with pytest.raises(ValidationError) as exc:
        DecisionFactory(
            motion=motion,
            meeting=council_meeting,
            vote_method=VoteMethod.VOTE,
            votes=(40, 15, 2, 4),
            party_votes=[
                {
                    "party": party,
                    "votes_for": 39,
                    "votes_against": 15,
                    "votes_abstaining": 2,
                    "votes_absent": 4,
                }
            ],
        )
    assert "party_votes" in exc.value.message_dict
    assert record_counts() == before


def test_paragraph_used_twice_at_one_meeting_is_refused(motion, council_meeting):
    DecisionFactory(motion=motion, meeting=council_meeting, paragraph=7)
    other_motion = MotionFactory(body=motion.body)
    before = record_counts()
    with pytest.raises(ValidationError):
        DecisionFactory(motion=other_motion, meeting=council_meeting, paragraph=7)
    assert record_counts() == before
    # The same § at the next meeting is fine.
    next_meeting = MeetingFactory(
        organ=council_meeting.organ, date=council_meeting.date + timedelta(days=28)
    )
    DecisionFactory(motion=other_motion, meeting=next_meeting, paragraph=7)
    assert Decision.objects.filter(paragraph=7).count() == 2


def test_decision_without_a_motion_needs_no_clause_outcomes():
    """A council programme or budget is decided without any motion."""
    meeting = MeetingFactory()
    decision = DecisionFactory(
        motion=None, body=meeting.organ.body, meeting=meeting, title="Budget 2025", outcomes=None
    )
    assert decision.live
    assert not decision.clause_outcomes.exists()


# --- proposals and their revisions ----------------------------------------------------------


def test_proposal_must_cover_every_clause(motion):
    before = record_counts()
    with pytest.raises(ValidationError):
        ProposalFactory(motion=motion, outcomes={2: A})
    assert record_counts() == before


def test_revising_a_proposal_keeps_both_versions(motion):
    """Seed 001: KS first proposed "anse besvarad", then changed it to "bifalles"."""
    proposal = ProposalFactory(
        motion=motion, outcomes={1: ANS, 2: ANS}, text="<p>Motionen anses besvarad.</p>"
    )
    services.proposal_revise(
        proposal=proposal, outcomes={1: A, 2: A}, text="<p>Motionen bifalles.</p>"
    )

    (first, second) = proposal_versions([proposal])[proposal.pk]
    answered, approved = Outcome(ANS).label, Outcome(A).label
    assert first.outcomes == {1: answered, 2: answered}
    assert second.outcomes == {1: approved, 2: approved}
    assert second.changed_outcomes == {1: (answered, approved), 2: (answered, approved)}
    assert second.text_changed
    assert ("delete", "anses besvarad.") in text_diff(first.text, second.text)
    assert ("insert", "bifalles.") in text_diff(first.text, second.text)
    assert list(
        CommitteeProposal.objects.get(pk=proposal.pk).outcomes.values_list("outcome", flat=True)
    ) == [A, A]


def test_a_draft_revision_is_not_a_published_version(motion):
    proposal = ProposalFactory(motion=motion, outcomes={1: ANS, 2: ANS})
    services.proposal_revise(proposal=proposal, outcomes={1: A, 2: A}, text="", publish=False)
    assert len(proposal_versions([proposal])[proposal.pk]) == 1


def test_revising_with_a_clause_missing_is_refused_and_keeps_the_old_outcomes(motion):
    proposal = ProposalFactory(motion=motion, outcomes={1: ANS, 2: ANS})
    before = record_counts()
    with pytest.raises(ValidationError):
        services.proposal_revise(proposal=proposal, outcomes={1: A}, text="")
    assert record_counts() == before
    assert sorted(
        CommitteeProposal.objects.get(pk=proposal.pk).outcomes.values_list("outcome", flat=True)
    ) == [ANS, ANS]
