"""Lifecycle transitions: what the secretariat can do to a motion, and what is refused."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.models import ModelLogEntry

from motions import services
from motions.models import (
    Decision,
    EventKind,
    Motion,
    MotionEvent,
    MotionKind,
    MotionStatus,
    Outcome,
    WriteOffGround,
)
from tests.factories import MeetingFactory, MotionFactory, OrganFactory, all_clauses

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in their source language; the Swedish catalogue changes independently."""
    with translation.override("en"):
        yield


@pytest.fixture
def motion():
    return MotionFactory(submitted_on=date(2024, 2, 29))


@pytest.fixture
def council(motion):
    return OrganFactory(body=motion.body)


@pytest.fixture
def executive(motion):
    return OrganFactory(body=motion.body, executive=True)


def meeting(organ, day):
    return MeetingFactory(organ=organ, date=day)


def fresh(motion) -> Motion:
    return Motion.objects.get(pk=motion.pk)


def prepare(motion, council, executive):
    """Raise, refer, answer and propose: the motion is ready for the council."""
    services.motion_raise(motion=motion, meeting=meeting(council, date(2024, 3, 18)))
    referral = services.motion_refer(
        motion=motion, organ=executive, sent_on=date(2024, 3, 20), due_on=date(2024, 6, 1)
    )
    services.referral_register_response(
        referral=referral, answered_on=date(2024, 5, 20), summary="Tillstyrks."
    )
    services.proposal_register(
        motion=motion, organ=executive, proposed_on=date(2024, 9, 2), outcomes=all_clauses(motion)
    )
    return fresh(motion)


def test_the_full_path_from_submission_to_closing_is_logged_in_the_history(
    motion, council, executive, admin_user
):
    prepare(motion, council, executive)
    assert fresh(motion).status == MotionStatus.PROPOSAL_READY
    first = meeting(council, date(2024, 10, 21))
    services.motion_schedule(motion=motion, meeting=first, user=admin_user)
    assert fresh(motion).status == MotionStatus.SCHEDULED
    services.motion_table(
        motion=motion, meeting=first, reason="Begärd av en tredjedel.", user=admin_user
    )
    assert fresh(motion).status == MotionStatus.TABLED
    second = meeting(council, date(2024, 11, 25))
    services.motion_schedule(motion=motion, meeting=second, user=admin_user)
    services.motion_decide(
        motion=motion,
        meeting=second,
        paragraph=201,
        decided_on=second.date,
        outcomes=all_clauses(motion),
        minutes_approved_on=date(2024, 11, 28),
        notice_posted_on=date(2024, 11, 29),
        user=admin_user,
    )
    decided = fresh(motion)
    assert decided.status == MotionStatus.DECIDED
    assert decided.decided_on == date(2024, 11, 25)

    with pytest.raises(ValidationError, match="no legal force yet"):
        services.motion_close(motion=motion, closed_on=date(2024, 12, 10))
    services.motion_close(motion=motion, closed_on=date(2024, 12, 23), user=admin_user)
    assert fresh(motion).status == MotionStatus.CLOSED

    kinds = list(MotionEvent.objects.filter(motion=motion).values_list("kind", flat=True))
    assert kinds == [
        "raised",
        "referred",
        "response_registered",
        "proposal_registered",
        "scheduled",
        "tabled",
        "scheduled",
        "decided",
        "closed",
    ]
    history = set(
        ModelLogEntry.objects.filter(object_id=str(motion.pk)).values_list("action", flat=True)
    )
    assert {"motions.raise", "motions.table", "motions.decide", "motions.close"} <= history
    assert MotionEvent.objects.get(motion=motion, kind="tabled").user == admin_user


def test_a_decided_motion_cannot_be_referred_and_nothing_changes(motion, council, executive):
    prepare(motion, council, executive)
    day = meeting(council, date(2024, 10, 21))
    services.motion_decide(
        motion=motion,
        meeting=day,
        paragraph=5,
        decided_on=day.date,
        outcomes=all_clauses(motion, Outcome.REJECTED),
    )
    before = MotionEvent.objects.count(), fresh(motion).referrals.count()
    with pytest.raises(ValidationError, match="cannot be referred"):
        services.motion_refer(motion=motion, organ=executive, sent_on=date(2024, 11, 1))
    assert (MotionEvent.objects.count(), fresh(motion).referrals.count()) == before


def test_a_withdrawn_motion_cannot_be_decided(motion, council):
    services.motion_withdraw(
        motion=motion, withdrawn_on=date(2024, 4, 2), reason="Motionären återtar."
    )
    assert fresh(motion).status == MotionStatus.WITHDRAWN
    day = meeting(council, date(2024, 5, 2))
    with pytest.raises(ValidationError, match="cannot be decided"):
        services.motion_decide(
            motion=motion,
            meeting=day,
            paragraph=3,
            decided_on=day.date,
            outcomes=all_clauses(motion),
        )
    assert not Decision.objects.exists()


def test_write_off_under_5_35_needs_the_report_or_another_recorded_ground(motion):
    with pytest.raises(ValidationError, match="has not been reported undecided"):
        services.motion_write_off(
            motion=motion,
            written_off_on=date(2025, 4, 1),
            legal_ground=WriteOffGround.REPORTED_UNDECIDED,
        )
    with pytest.raises(ValidationError, match="Describe the legal ground"):
        services.motion_write_off(
            motion=motion, written_off_on=date(2025, 4, 1), legal_ground=WriteOffGround.OTHER
        )
    assert fresh(motion).status == MotionStatus.SUBMITTED

    Motion.objects.filter(pk=motion.pk).update(reported_undecided_on=date(2025, 3, 10))
    services.motion_write_off(
        motion=motion,
        written_off_on=date(2025, 4, 1),
        legal_ground=WriteOffGround.REPORTED_UNDECIDED,
    )
    written_off = fresh(motion)
    assert written_off.status == MotionStatus.WRITTEN_OFF
    assert written_off.result == "written_off"


def test_dates_before_submission_and_missing_reasons_are_refused(motion, council, executive):
    with pytest.raises(ValidationError, match="before the motion was submitted"):
        services.motion_raise(motion=motion, meeting=meeting(council, date(2024, 2, 1)))
    with pytest.raises(ValidationError, match="proposal before scheduling"):
        services.motion_schedule(motion=motion, meeting=meeting(council, date(2024, 4, 1)))
    prepare(motion, council, executive)
    day = meeting(council, date(2024, 10, 21))
    services.motion_schedule(motion=motion, meeting=day)
    with pytest.raises(ValidationError, match="Say why"):
        services.motion_send_back(motion=motion, meeting=day, reason="  ")
    assert fresh(motion).status == MotionStatus.SCHEDULED


def test_sending_back_returns_to_preparation_without_restarting_the_clock(
    motion, council, executive
):
    prepare(motion, council, executive)
    deadline = fresh(motion).deadline_on
    day = meeting(council, date(2024, 10, 21))
    services.motion_schedule(motion=motion, meeting=day)
    services.motion_send_back(motion=motion, meeting=day, reason="Komplettera med kostnader.")
    sent_back = fresh(motion)
    assert sent_back.status == MotionStatus.SENT_BACK
    assert sent_back.deadline_on == deadline == date(2025, 2, 28)
    services.proposal_register(
        motion=motion,
        organ=executive,
        proposed_on=date(2025, 1, 20),
        outcomes=all_clauses(motion, Outcome.ANSWERED),
    )
    assert fresh(motion).status == MotionStatus.PROPOSAL_READY


def test_a_citizen_proposal_can_be_handed_to_a_committee_which_decides_it(council):
    proposal = MotionFactory(
        kind=MotionKind.CITIZEN_PROPOSAL,
        submitted_on=date(2024, 1, 15),
        submitters=[{"resident_name": "Eva Invånare"}],
    )
    committee = OrganFactory(
        body=proposal.body, kind="committee", name="Tekniska nämnden", abbreviation="TN"
    )
    council_meeting = MeetingFactory(organ=OrganFactory(body=proposal.body), date=date(2024, 2, 12))
    services.motion_hand_to_committee(motion=proposal, meeting=council_meeting, organ=committee)
    assert fresh(proposal).status == MotionStatus.IN_PREPARATION
    committee_meeting = MeetingFactory(organ=committee, date=date(2024, 4, 10))
    services.motion_schedule(motion=proposal, meeting=committee_meeting)
    services.motion_decide(
        motion=proposal,
        meeting=committee_meeting,
        paragraph=44,
        decided_on=committee_meeting.date,
        outcomes=all_clauses(proposal),
    )
    assert fresh(proposal).status == MotionStatus.DECIDED

    motion = MotionFactory(body=proposal.body)
    with pytest.raises(ValidationError, match="Only citizen proposals"):
        services.motion_hand_to_committee(motion=motion, meeting=council_meeting, organ=committee)


def test_one_write_off_decision_at_the_end_of_the_term_closes_every_selected_motion(council):
    first = MotionFactory(submitted_on=date(2023, 3, 1))
    body = first.body
    second = MotionFactory(body=body, submitted_on=date(2023, 5, 1))
    kept = MotionFactory(body=body, submitted_on=date(2023, 6, 1))
    council = OrganFactory(body=body)
    day = MeetingFactory(organ=council, date=date(2026, 9, 28))
    decision = services.motions_write_off_bulk(
        body=body,
        motions=[first, second],
        meeting=day,
        paragraph=150,
        decided_on=day.date,
        title="Avskrivning av motioner vid mandatperiodens slut",
        legal_ground=WriteOffGround.END_OF_TERM,
        consents={first.pk: True},
    )
    assert [fresh(m).status for m in (first, second, kept)] == [
        "written_off",
        "written_off",
        "submitted",
    ]
    events = MotionEvent.objects.filter(kind=EventKind.WRITTEN_OFF).order_by("motion_id")
    assert [e.decision_id for e in events] == [decision.pk, decision.pk]
    assert [e.submitter_consent for e in events] == [True, None]
    assert Decision.objects.count() == 1


def test_a_bulk_write_off_with_one_refused_motion_writes_off_none(council):
    open_one = MotionFactory(submitted_on=date(2023, 3, 1))
    body = open_one.body
    council = OrganFactory(body=body)
    decided = MotionFactory(body=body, submitted_on=date(2023, 4, 1))
    services.motion_raise(
        motion=decided, meeting=MeetingFactory(organ=council, date=date(2023, 4, 17))
    )
    day = MeetingFactory(organ=council, date=date(2024, 2, 1))
    services.motion_decide(
        motion=decided, meeting=day, paragraph=1, decided_on=day.date, outcomes=all_clauses(decided)
    )
    end = MeetingFactory(organ=council, date=date(2026, 9, 28))
    with pytest.raises(ValidationError, match="cannot be written off"):
        services.motions_write_off_bulk(
            body=body,
            motions=[open_one, decided],
            meeting=end,
            paragraph=150,
            decided_on=end.date,
            title="Avskrivning",
            legal_ground=WriteOffGround.END_OF_TERM,
        )
    assert fresh(open_one).status == MotionStatus.SUBMITTED
    assert Decision.objects.count() == 1


def test_admin_actions_call_the_services_and_show_refusals(client, admin_user, motion, council):
    from django.urls import reverse

    english_admin(client, admin_user)
    url = reverse("motions_action", args=[motion.pk, "raise"])
    assert "Council meeting" in client.get(url).content.decode()
    day = meeting(council, date(2024, 3, 18))
    response = client.post(url, {"meeting": day.pk, "reason": "", "request_key": "raise-1"})
    assert response.status_code == 302
    assert fresh(motion).raised_at == day
    refused = client.post(
        reverse("motions_action", args=[motion.pk, "table"]),
        {"meeting": day.pk, "request_key": "table-1"},
        follow=True,
    )
    assert "Only a motion on a meeting" in refused.content.decode()
    assert fresh(motion).status == MotionStatus.RAISED
    edit = client.get(reverse("wagtailsnippets_motions_motion:edit", args=[motion.pk]))
    assert "Decision due by" in edit.content.decode()


def test_the_dashboard_lists_overdue_motions_in_a_fixed_number_of_queries(
    client, admin_user, body, django_assert_max_num_queries
):
    from django.urls import reverse

    english_admin(client, admin_user)

    def add(count, start):
        Motion.objects.bulk_create(
            Motion(
                body=body,
                case_number=f"D {start + n}",
                slug=f"d-{start + n}",
                title="Försenad",
                submitted_on=date(2020, 1, 1),
                deadline_on=date(2021, 1, 1),
                status="raised",
            )
            for n in range(count)
        )

    add(3, 0)
    client.get(reverse("wagtailadmin_home"))
    with django_assert_max_num_queries(40) as small:
        page = client.get(reverse("wagtailadmin_home"))
    assert "D 0" in page.content.decode()
    add(60, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("wagtailadmin_home"))


def test_the_daily_job_closes_decided_motions_once_their_decision_has_legal_force(
    motion, council, executive
):
    from motions import tasks

    prepare(motion, council, executive)
    day = meeting(council, date(2024, 10, 21))
    services.motion_decide(
        motion=motion,
        meeting=day,
        paragraph=7,
        decided_on=day.date,
        outcomes=all_clauses(motion),
        minutes_approved_on=date(2024, 10, 24),
        notice_posted_on=date(2024, 10, 25),
    )
    with time_machine.travel(date(2024, 11, 15)):  # the last day to appeal
        assert tasks.close_motions_with_legal_force.delay().get() == 0
    with time_machine.travel(date(2024, 11, 16)):
        assert tasks.close_motions_with_legal_force.delay().get() == 1
    assert fresh(motion).status == MotionStatus.CLOSED


def english_admin(client, user):
    """The admin speaks the user's chosen language; match messages in their source language."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
