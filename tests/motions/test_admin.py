"""The secretariat's admin forms over HTTP: the same rules as the services, shown on the form, nothing saved."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from motions.models import Decision, Motion, MotionStatus, Outcome, VoteMethod
from motions.rules import clause_coverage_errors, decision_errors
from tests.factories import (
    DecisionFactory,
    MeetingFactory,
    MotionFactory,
    OrganFactory,
    PartyFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

DECISION_ADD = "wagtailsnippets_motions_decision:add"
MOTION_ADD = "wagtailsnippets_motions_motion:add"


def formset(prefix: str, rows: list[dict]) -> dict:
    """The management form and rows of an InlinePanel, as the admin's JavaScript posts them."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
        data.update(
            {f"{prefix}-{i}-ORDER": str(i + 1), f"{prefix}-{i}-DELETE": "", f"{prefix}-{i}-id": ""}
        )
    return data


def in_admin_language(func, *args, **kwargs):
    """A rule's message as the admin shows it (the admin speaks LANGUAGE_CODE, Swedish)."""
    with translation.override("sv"):
        return func(*args, **kwargs)


@pytest.fixture
def motion():
    return MotionFactory(submitted_on=date(2023, 12, 21), clauses=["att A", "att B"])


@pytest.fixture
def meeting(motion):
    return MeetingFactory(organ=OrganFactory(body=motion.body, seats=61), date=date(2024, 9, 23))


def decision_post(motion, meeting, outcomes: dict[int, str], **fields) -> dict:
    data = {
        "body": str(motion.body.pk),
        "meeting": str(meeting.pk),
        "paragraph": "123",
        "decided_on": meeting.date.isoformat(),
        "case_number": "",
        "title": "Svar på motion",
        "motion": str(motion.pk),
        "vote_method": VoteMethod.ACCLAMATION,
        "votes_for": "",
        "votes_against": "",
        "votes_abstaining": "",
        "votes_absent": "",
        "minutes_approved_on": "",
        "notice_posted_on": "",
        **formset(
            "clause_outcomes",
            [{"clause_number": str(n), "outcome": o} for n, o in outcomes.items()],
        ),
        **formset("party_votes", []),
        **formset("statements", []),
        **formset("documents", []),
    }
    data.update(fields)
    return data


def test_a_complete_decision_is_saved_and_publishing_it_decides_the_motion(
    admin_client, motion, meeting
):
    """The valid form: proves the posted fields are right, so the refusals below mean something."""
    data = decision_post(
        motion, meeting, {1: Outcome.APPROVED, 2: Outcome.REJECTED}, **{"action-publish": "1"}
    )
    response = admin_client.post(reverse(DECISION_ADD), data)
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )
    decision = Decision.objects.get(meeting=meeting, paragraph=123)
    assert decision.live
    assert sorted(decision.clause_outcomes.values_list("clause_number", "outcome")) == [
        (1, "approved"),
        (2, "rejected"),
    ]
    motion.refresh_from_db()
    assert (motion.status, motion.result) == (MotionStatus.DECIDED, "partly_approved")


def test_decision_missing_a_clause_outcome_is_refused_on_the_form(admin_client, motion, meeting):
    response = admin_client.post(
        reverse(DECISION_ADD), decision_post(motion, meeting, {1: Outcome.APPROVED})
    )
    assert response.status_code == 200
    (expected,) = in_admin_language(clause_coverage_errors, clause_count=2, clause_numbers=[1])
    assert escape(expected) in response.content.decode()
    assert not Decision.objects.exists()


def test_decision_dated_before_submission_is_refused_on_the_form(admin_client, motion):
    early = MeetingFactory(organ=OrganFactory(body=motion.body), date=date(2023, 12, 1))
    data = decision_post(motion, early, {1: Outcome.APPROVED, 2: Outcome.APPROVED})
    response = admin_client.post(reverse(DECISION_ADD), data)
    assert response.status_code == 200
    expected = in_admin_language(
        decision_errors,
        Decision(
            motion=motion, body=motion.body, meeting=early, decided_on=early.date, paragraph=1
        ),
    )["decided_on"]
    assert "2023-12-21" in expected
    assert escape(expected) in response.content.decode()
    assert not Decision.objects.exists()


def test_votes_not_adding_up_to_the_seats_are_refused_on_the_form(admin_client, motion, meeting):
    data = decision_post(
        motion,
        meeting,
        {1: Outcome.APPROVED, 2: Outcome.APPROVED},
        vote_method=VoteMethod.VOTE,
        votes_for="30",
        votes_against="20",
        votes_abstaining="5",
        votes_absent="5",
    )
    response = admin_client.post(reverse(DECISION_ADD), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "60" in content
    assert "61" in content
    expected = in_admin_language(
        decision_errors,
        Decision(
            meeting=meeting,
            body=motion.body,
            decided_on=meeting.date,
            vote_method=VoteMethod.VOTE,
            votes_for=30,
            votes_against=20,
            votes_abstaining=5,
            votes_absent=5,
        ),
    )["votes_for"]
    assert escape(expected) in content
    assert not Decision.objects.exists()


def test_paragraph_used_twice_at_one_meeting_is_refused_on_the_form(admin_client, motion, meeting):
    DecisionFactory(motion=motion, meeting=meeting, paragraph=123)
    other = MotionFactory(body=motion.body, clauses=["att C"])
    response = admin_client.post(
        reverse(DECISION_ADD), decision_post(other, meeting, {1: Outcome.APPROVED})
    )
    assert response.status_code == 200
    assert response.context["form"].errors  # the unique (meeting, §) constraint
    assert Decision.objects.count() == 1


def motion_post(body, case_number: str) -> dict:
    party = PartyFactory(body=body)
    person = PersonFactory(body=body)
    return {
        "body": str(body.pk),
        "kind": "motion",
        "case_number": case_number,
        "submitted_on": "2024-03-01",
        "title": "En ny motion",
        "raised_at": "",
        "term": "",
        "document": "",
        "signature_count": "",
        "signature_threshold": "",
        "signature_window_days": "",
        **formset("clauses", [{"text": "att något görs"}]),
        **formset(
            "submitters",
            [
                {
                    "person": str(person.pk),
                    "party": str(party.pk),
                    "organ": "",
                    "resident_name": "",
                    "resident_email": "",
                    "resident_phone": "",
                }
            ],
        ),
        **formset("referrals", []),
    }


def test_a_new_motion_is_saved_from_the_admin(admin_client, body):
    response = admin_client.post(reverse(MOTION_ADD), motion_post(body, "KS 2024-00777"))
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )
    motion = Motion.objects.get(case_number="KS 2024-00777")
    assert motion.slug == "ks-2024-00777"
    assert not motion.live


def test_duplicate_case_number_in_the_same_body_is_refused_on_the_form(admin_client, motion):
    response = admin_client.post(reverse(MOTION_ADD), motion_post(motion.body, motion.case_number))
    assert response.status_code == 200
    assert (
        "case_number" in response.context["form"].errors
        or response.context["form"].non_field_errors()
    )
    assert Motion.objects.filter(case_number=motion.case_number).count() == 1


def test_the_same_case_number_in_another_body_is_accepted_on_the_form(admin_client, motion):
    other_body = OrganFactory().body
    response = admin_client.post(reverse(MOTION_ADD), motion_post(other_body, motion.case_number))
    assert response.status_code == 302
    assert Motion.objects.filter(case_number=motion.case_number).count() == 2


def test_case_number_giving_an_address_already_taken_is_refused_on_the_form(admin_client, motion):
    """`KS 2024 00001` and `KS 2024-00001` share the slug: refuse on the form rather than fail with a 500."""
    clash = motion.case_number.replace("-", " ")
    response = admin_client.post(reverse(MOTION_ADD), motion_post(motion.body, clash))
    assert response.status_code == 200
    assert Motion.objects.filter(body=motion.body).count() == 1
