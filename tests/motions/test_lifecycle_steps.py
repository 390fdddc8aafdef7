"""The lifecycle tab offers only the steps possible now, marks the likely next one, shows the
current status, and refuses an impossible step; the decision step can register its meeting."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from motions import services, steps
from motions.models import (
    Decision,
    EventKind,
    Meeting,
    Motion,
    MotionEvent,
    MotionKind,
    MotionStatus,
    Outcome,
)
from motions.steps import Situation
from tests.factories import MeetingFactory, MotionFactory, OrganFactory, all_clauses

pytestmark = pytest.mark.django_db

S = MotionStatus
RAISED_ON = date(2024, 3, 18)


@pytest.mark.parametrize(
    ("situation", "possible", "likely"),
    [
        (
            Situation(MotionKind.MOTION, S.SUBMITTED),
            ["raise", "refer", "proposal", "write-off", "withdraw"],
            "raise",
        ),
        (
            Situation(MotionKind.MOTION, S.RAISED, RAISED_ON),
            ["refer", "proposal", "decide", "write-off", "withdraw"],
            "refer",
        ),
        (
            Situation(MotionKind.MOTION, S.IN_PREPARATION, RAISED_ON, open_referrals=1),
            ["refer", "response", "proposal", "decide", "write-off", "withdraw"],
            "response",
        ),
        (
            Situation(MotionKind.MOTION, S.IN_PREPARATION, RAISED_ON),
            ["refer", "proposal", "decide", "write-off", "withdraw"],
            "proposal",
        ),
        (
            Situation(MotionKind.MOTION, S.PROPOSAL_READY, RAISED_ON),
            ["refer", "proposal", "schedule", "decide", "write-off", "withdraw"],
            "schedule",
        ),
        (
            Situation(MotionKind.MOTION, S.SCHEDULED, RAISED_ON),
            [
                "refer",
                "proposal",
                "schedule",
                "table",
                "send-back",
                "decide",
                "write-off",
                "withdraw",
            ],
            "decide",
        ),
        (Situation(MotionKind.MOTION, S.DECIDED, RAISED_ON, open_referrals=1), ["close"], "close"),
        (Situation(MotionKind.MOTION, S.WRITTEN_OFF), ["close"], "close"),
        (Situation(MotionKind.MOTION, S.WITHDRAWN), ["write-off", "close"], "write-off"),
        (Situation(MotionKind.MOTION, S.CLOSED, RAISED_ON), [], None),
        (
            Situation(MotionKind.CITIZEN_PROPOSAL, S.RAISED, RAISED_ON),
            ["refer", "proposal", "hand-over", "decide", "write-off", "withdraw"],
            "refer",
        ),
        (
            Situation(MotionKind.E_PROPOSAL, S.IN_PREPARATION, handed_to_committee=True),
            [
                "raise",
                "refer",
                "proposal",
                "schedule",
                "hand-over",
                "decide",
                "write-off",
                "withdraw",
            ],
            "schedule",
        ),
    ],
)
def test_only_the_steps_possible_now_are_offered_and_one_is_likely_next(
    situation, possible, likely
):
    assert steps.possible_steps(situation) == possible
    assert steps.likely_next(situation) == likely
    for step in steps.STEPS[situation.kind]:
        assert (steps.refusal(situation, step) is None) == (step in possible)


def test_a_motion_has_no_hand_over_step():
    situation = Situation(MotionKind.MOTION, S.RAISED, RAISED_ON)
    assert "hand-over" not in steps.STEPS[MotionKind.MOTION]
    assert steps.refusal(situation, "hand-over")


# --- over HTTP: the tab, the refusals and the status line -------------------------------


@pytest.fixture
def motion():
    return MotionFactory(submitted_on=date(2024, 2, 1), clauses=["att A"])


@pytest.fixture
def council(motion):
    return OrganFactory(body=motion.body)


def edit_url(motion):
    return reverse("wagtailsnippets_motions_motion:edit", args=[motion.pk])


def action_url(motion, step):
    return reverse("motions_action", args=[motion.pk, step])


def offered(html: str) -> tuple[list[str], list[str]]:
    """The steps the tab offers, and those marked as likely next."""
    items = re.findall(r'<li data-step="([a-z-]+)"( data-likely-next)?>', html)
    return [step for step, _ in items], [step for step, likely in items if likely]


def status_line(html: str) -> str:
    return re.search(r'data-lifecycle-status="([a-z_]+)"', html).group(1)


def test_the_tab_offers_the_possible_steps_and_marks_the_likely_next(client, superuser, motion):
    html = client.get(edit_url(motion)).content.decode()
    possible, likely = offered(html)
    assert possible == steps.possible_steps(steps.situation_of(motion))
    assert not {"decide", "close", "response"} & set(possible)
    assert likely == ["raise"]
    assert f'href="{action_url(motion, "raise")}"' in html
    assert f'href="{action_url(motion, "decide")}"' not in html


def test_an_impossible_step_is_refused_with_its_reason_and_nothing_changes(
    client, superuser, motion, council
):
    meeting = MeetingFactory(organ=council, date=date(2024, 5, 20))
    events = MotionEvent.objects.count()
    data = {"meeting": meeting.pk, "paragraph": "7", "clause_1": Outcome.APPROVED}
    with translation.override(settings.LANGUAGE_CODE):  # the language the admin speaks
        reason = steps.refusal(steps.situation_of(motion), "decide")

    response = client.post(action_url(motion, "decide"), {**data, "request_key": "decide-1"})

    assert response.status_code == 200
    assert response.context["refused"] == reason
    assert escape(reason) in response.content.decode()
    assert not Decision.objects.exists()
    assert MotionEvent.objects.count() == events
    assert Motion.objects.get(pk=motion.pk).status == MotionStatus.SUBMITTED
    # Opened from an old link, it shows the reason instead of the form.
    opened = client.get(action_url(motion, "response")).content.decode()
    assert "data-step-refused" in opened
    assert 'name="request_key"' not in opened


def test_the_services_refuse_what_the_tab_does_not_offer(motion, council):
    meeting = MeetingFactory(organ=council, date=date(2024, 5, 20))
    with pytest.raises(ValidationError):
        services.motion_decide(
            motion=motion, meeting=meeting, paragraph=3, decided_on=None, outcomes={1: "approved"}
        )
    referral = services.motion_refer(
        motion=motion,
        organ=OrganFactory(body=motion.body, executive=True),
        sent_on=date(2024, 3, 1),
    )
    services.motion_withdraw(motion=motion, withdrawn_on=date(2024, 3, 5))
    with pytest.raises(ValidationError):  # after a final state: only closing steps
        services.referral_register_response(referral=referral, answered_on=date(2024, 3, 6))
    assert not Decision.objects.exists()
    assert Motion.objects.get(pk=motion.pk).referrals.get().answered_on is None


def test_after_a_step_the_tab_shows_the_new_status_even_with_a_draft_pending(
    client, superuser, motion, council
):
    # An editor's unpublished draft of the text, saved while the motion was only submitted.
    motion.title = "Ny rubrik"
    motion.save_revision(user=superuser)
    meeting = MeetingFactory(organ=council, date=date(2024, 2, 19))

    response = client.post(
        action_url(motion, "raise"), {"meeting": meeting.pk, "request_key": "raise-2"}
    )
    assert response.status_code == 302

    html = client.get(edit_url(motion)).content.decode()
    assert status_line(html) == MotionStatus.RAISED
    assert offered(html)[1] == ["refer"]
    draft = Motion.objects.get(pk=motion.pk).get_latest_revision_as_object()
    assert (draft.title, draft.status) == ("Ny rubrik", MotionStatus.RAISED)


# --- the decision step: its meeting and date ------------------------------------------


@pytest.fixture
def raised(motion, council):
    services.motion_raise(
        motion=motion, meeting=MeetingFactory(organ=council, date=date(2024, 2, 19))
    )
    return Motion.objects.get(pk=motion.pk)


def form_value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else ""


def test_a_meeting_not_yet_on_record_is_registered_with_the_decision(
    client, superuser, raised, council
):
    html = client.get(action_url(raised, "decide")).content.decode()
    # The organ of the new meeting is preset to the council.
    assert re.search(rf'<option value="{council.pk}" selected>', html)

    response = client.post(
        action_url(raised, "decide"),
        {
            "new_meeting_on": "2024-06-10",
            "new_meeting_organ": council.pk,
            "new_meeting_title": "",
            "paragraph": "41",
            "decided_on": "",
            "clause_1": Outcome.APPROVED,
            "request_key": "decide-2",
        },
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get(organ=council, date=date(2024, 6, 10))
    decision = Decision.objects.get(motion=raised)
    assert (decision.meeting, decision.decided_on) == (meeting, meeting.date)
    assert Motion.objects.get(pk=raised.pk).status == MotionStatus.DECIDED


def test_a_refused_decision_registers_no_meeting(client, superuser, raised, council):
    used = MotionEvent.objects.get(motion=raised, kind=EventKind.RAISED)
    MotionEvent.objects.filter(pk=used.pk).update(request_key="used-key")
    meetings = Meeting.objects.count()

    response = client.post(
        action_url(raised, "decide"),
        {
            "new_meeting_on": "2024-06-10",
            "new_meeting_organ": council.pk,
            "paragraph": "41",
            "clause_1": Outcome.APPROVED,
            "request_key": "used-key",
        },
    )

    assert response.status_code == 200
    assert Meeting.objects.count() == meetings
    assert not Decision.objects.exists()


def test_the_decision_date_defaults_to_the_meetings(client, superuser, raised, council):
    services.proposal_register(
        motion=raised,
        organ=OrganFactory(body=raised.body, executive=True),
        proposed_on=date(2024, 4, 2),
        outcomes=all_clauses(raised),
    )
    scheduled = MeetingFactory(organ=council, date=date(2024, 5, 20))
    services.motion_schedule(motion=raised, meeting=scheduled)
    other = MeetingFactory(organ=council, date=date(2024, 6, 17))
    url = action_url(raised, "decide")

    # The meeting it is scheduled for, with its date; or the meeting the page was opened for.
    html = client.get(url).content.decode()
    assert re.search(rf'<option value="{scheduled.pk}" selected>', html)
    assert form_value(html, "decided_on") == "2024-05-20"
    assert form_value(client.get(f"{url}?meeting={other.pk}").content.decode(), "decided_on") == (
        "2024-06-17"
    )

    # Without JavaScript the date may be left empty: it is the chosen meeting's.
    response = client.post(
        url,
        {
            "meeting": other.pk,
            "paragraph": "8",
            "decided_on": "",
            "clause_1": Outcome.REJECTED,
            "request_key": "decide-3",
        },
    )
    assert response.status_code == 302
    assert Decision.objects.get(motion=raised).decided_on == date(2024, 6, 17)
