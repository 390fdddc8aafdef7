"""The law behind the record: the 5:35 report (KL 5 kap. 35 §), who raises and decides a
motion, the term dates, legal force after an appeal (KL 13 kap.) and the dates of a
proposal's versions."""

import csv
import io
from datetime import date
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from motions import reports, services
from motions.deadlines import decision_legal_effect, motion_deadline_status
from motions.filters import DeadlineFlag, MotionFilter
from motions.models import (
    Appeal,
    Decision,
    EventKind,
    Motion,
    MotionEvent,
    MotionKind,
    MotionStatus,
    Term,
    WriteOffGround,
)
from motions.rules import decision_errors
from motions.selectors import proposal_versions
from tests.factories import (
    DecisionFactory,
    MeetingFactory,
    MotionFactory,
    OrganFactory,
    ProposalFactory,
    TermFactory,
    all_clauses,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in their source language; the Swedish catalogue changes independently."""
    with translation.override("en"):
        yield


def _set_reported(motion, day):
    Motion.objects.filter(pk=motion.pk).update(reported_undecided_on=day)
    return Motion.objects.get(pk=motion.pk)


# --- 1. The 5:35 flag: only a report after the deadline clears it ------------------------


@pytest.mark.parametrize(
    ("reported_on", "needs_report"),
    [
        (None, True),
        (date(2024, 10, 1), True),  # reported while still inside its year
        (date(2025, 2, 28), True),  # on the deadline day: not yet overdue
        (date(2025, 3, 1), False),  # reported once overdue
    ],
)
def test_a_report_given_before_the_motion_was_overdue_does_not_clear_the_flag(
    reported_on, needs_report
):
    motion = SimpleNamespace(
        deadline_on=date(2025, 2, 28),
        status="in_preparation",
        decided_on=None,
        reported_undecided_on=reported_on,
        reported_undecided_paragraph="",
        body=SimpleNamespace(approaching_window_days=60),
    )
    flags = motion_deadline_status(motion, today=date(2025, 4, 1))
    assert flags.overdue
    assert flags.needs_report is needs_report


def test_the_list_filter_for_the_5_35_report_follows_the_same_rule(body, django_assert_num_queries):
    early = MotionFactory(body=body, submitted_on=date(2024, 2, 1))  # due 2025-02-01
    late = MotionFactory(body=body, submitted_on=date(2024, 2, 1))
    never = MotionFactory(body=body, submitted_on=date(2024, 2, 1))
    MotionFactory(body=body, submitted_on=date(2025, 2, 1))  # not overdue yet
    _set_reported(early, date(2024, 10, 1))
    _set_reported(late, date(2025, 4, 1))
    today = date(2025, 6, 1)

    assert set(Motion.objects.needs_report(today)) == {early, never}
    filtered = MotionFilter(
        data={"deadline": DeadlineFlag.NEEDS_REPORT}, queryset=Motion.objects.all()
    )
    assert filtered.is_valid()
    with (
        mock.patch("motions.filters.timezone.localdate", return_value=today),
        django_assert_num_queries(1),
    ):
        assert set(filtered.qs) == {early, never}


def test_a_motion_reported_before_its_deadline_cannot_be_written_off_under_5_35(body):
    motion = _set_reported(
        MotionFactory(body=body, submitted_on=date(2024, 2, 1)), date(2024, 10, 1)
    )
    with pytest.raises(ValidationError, match="after its one-year deadline"):
        services.motion_write_off(
            motion=motion,
            written_off_on=date(2025, 4, 1),
            legal_ground=WriteOffGround.REPORTED_UNDECIDED,
        )
    assert Motion.objects.get(pk=motion.pk).status != MotionStatus.WRITTEN_OFF


# --- 2. Issuing the report marks only the overdue motions -------------------------------


def test_issuing_marks_only_the_motions_past_their_deadline_and_lists_the_others(body):
    overdue = MotionFactory(body=body, case_number="KS 2023-1", submitted_on=date(2023, 3, 1))
    inside = MotionFactory(body=body, case_number="KS 2024-1", submitted_on=date(2024, 6, 1))
    report = reports.report_prepare(body=body, as_of=date(2024, 10, 1))
    rows = {row.motion_id: row for row in report.rows.all()}
    assert rows[overdue.pk].overdue
    assert not rows[inside.pk].overdue

    reports.report_issue(report=report, council_paragraph="88")

    assert Motion.objects.get(pk=overdue.pk).reported_undecided_on == date(2024, 10, 1)
    assert Motion.objects.get(pk=inside.pk).reported_undecided_on is None
    assert list(
        MotionEvent.objects.filter(kind=EventKind.REPORTED_UNDECIDED).values_list(
            "motion_id", flat=True
        )
    ) == [overdue.pk]
    # Once its own year has run out, the motion only listed still needs the report.
    later = motion_deadline_status(Motion.objects.get(pk=inside.pk), today=date(2025, 7, 1))
    assert later.needs_report

    parsed = list(
        csv.reader(io.StringIO(reports.export_csv(report).decode("utf-8-sig")), delimiter=";")
    )
    column = parsed[0].index("Över ett år")
    assert {row[0]: row[column] for row in parsed[1:]} == {"KS 2023-1": "Ja", "KS 2024-1": "Nej"}


# --- 3. A motion is raised at and decided by the council --------------------------------


@pytest.fixture
def organs(body):
    return SimpleNamespace(
        council=OrganFactory(body=body),
        executive=OrganFactory(body=body, executive=True),
        committee=OrganFactory(body=body, kind="committee", name="Tekniska nämnden"),
    )


def test_a_motion_is_raised_at_a_council_meeting_only(body, organs):
    motion = MotionFactory(body=body, submitted_on=date(2024, 2, 1))
    ks = MeetingFactory(organ=organs.executive, date=date(2024, 2, 20))
    motion.raised_at = ks
    with pytest.raises(ValidationError, match="raised at a meeting of the council"):
        motion.full_clean()
    with pytest.raises(ValidationError, match="raised at a meeting of the council"):
        services.motion_raise(motion=motion, meeting=ks)
    assert Motion.objects.get(pk=motion.pk).raised_at_id is None

    services.motion_raise(
        motion=motion, meeting=MeetingFactory(organ=organs.council, date=date(2024, 2, 22))
    )
    assert Motion.objects.get(pk=motion.pk).status == MotionStatus.RAISED


def test_a_citizen_proposal_may_be_raised_elsewhere_when_the_rules_say_so(body, organs):
    proposal = MotionFactory(
        body=body,
        kind=MotionKind.CITIZEN_PROPOSAL,
        submitted_on=date(2024, 2, 1),
        submitters=[{"resident_name": "Eva Invånare"}],
    )
    proposal.raised_at = MeetingFactory(organ=organs.executive, date=date(2024, 2, 20))
    proposal.full_clean()  # not refused by the council rule


def test_a_motion_is_decided_by_the_council_not_a_committee(body, organs):
    motion = MotionFactory(body=body, submitted_on=date(2024, 2, 1))
    services.motion_raise(
        motion=motion, meeting=MeetingFactory(organ=organs.council, date=date(2024, 2, 22))
    )
    ks = MeetingFactory(organ=organs.executive, date=date(2024, 5, 6))
    with pytest.raises(ValidationError, match="decided by the council"):
        services.motion_decide(
            motion=motion,
            meeting=ks,
            paragraph=1,
            decided_on=ks.date,
            outcomes=all_clauses(motion),
        )
    with pytest.raises(ValidationError, match="decided by the council"):
        services.decision_record(
            body=body,
            meeting=ks,
            paragraph=2,
            decided_on=ks.date,
            title="Svar på motion",
            motion=motion,
            outcomes=all_clauses(motion),
        )
    assert not motion.decisions.exists()
    draft = Decision(
        body=body, meeting=ks, motion=motion, paragraph=3, decided_on=ks.date, title="Svar"
    )
    assert "decided by the council" in decision_errors(draft)["meeting"]


def test_a_citizen_proposal_handed_to_a_committee_is_decided_by_it(body, organs):
    proposal = MotionFactory(
        body=body,
        kind=MotionKind.CITIZEN_PROPOSAL,
        submitted_on=date(2024, 1, 15),
        submitters=[{"resident_name": "Eva Invånare"}],
    )
    kf = MeetingFactory(organ=organs.council, date=date(2024, 2, 12))
    services.motion_hand_to_committee(motion=proposal, meeting=kf, organ=organs.committee)
    meeting = MeetingFactory(organ=organs.committee, date=date(2024, 4, 10))
    services.motion_decide(
        motion=proposal,
        meeting=meeting,
        paragraph=44,
        decided_on=meeting.date,
        outcomes=all_clauses(proposal),
    )
    assert Motion.objects.get(pk=proposal.pk).status == MotionStatus.DECIDED


# --- 4. Terms run from 15 October of an election year ------------------------------------


def test_the_factory_term_is_a_real_term(body):
    TermFactory.build(body=body).full_clean()


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field"),
    [
        (date(2023, 10, 15), date(2027, 10, 14), "starts_on"),  # 2023 is no election year
        (date(2022, 10, 1), date(2026, 10, 14), "starts_on"),
        (date(2022, 10, 15), date(2026, 12, 31), "ends_on"),
        (date(2022, 10, 15), date(2025, 10, 14), "ends_on"),
    ],
)
def test_a_term_with_other_dates_is_refused(body, starts_on, ends_on, field):
    with pytest.raises(ValidationError) as refused:
        Term(body=body, starts_on=starts_on, ends_on=ends_on).full_clean()
    assert field in refused.value.message_dict


def test_terms_of_every_election_year_are_accepted(body):
    for year in (2014, 2018, 2026):
        Term(body=body, starts_on=date(year, 10, 15), ends_on=date(year + 4, 10, 14)).full_clean()


# --- 5. Legal force after an appeal -----------------------------------------------------


@pytest.fixture
def appealed(body):
    """A decided motion whose decision (notice posted 4 Nov 2024) was appealed."""
    decision = DecisionFactory(
        motion=MotionFactory(body=body, submitted_on=date(2024, 2, 1)),
        meeting__date=date(2024, 11, 1),
        minutes_approved_on=date(2024, 11, 4),
        notice_posted_on=date(2024, 11, 4),
    )
    appeal = Appeal.objects.create(
        decision=decision, case_number="FR 1234-24", lodged_on=date(2024, 11, 20)
    )
    return decision, appeal


def test_legal_force_comes_when_the_judgment_is_final_not_on_the_judgment_day(appealed):
    decision, appeal = appealed
    appeal.result, appeal.result_on = "rejected", date(2025, 3, 3)
    appeal.save()
    effect = decision_legal_effect(decision, today=date(2025, 6, 1))
    assert effect.appeal_pending
    assert not effect.has_legal_force
    assert services.motions_close_with_legal_force(today=date(2025, 6, 1)) == []

    appeal.final_on = date(2025, 3, 25)
    appeal.full_clean()
    appeal.save()
    effect = decision_legal_effect(decision, today=date(2025, 6, 1))
    assert effect.has_legal_force
    assert effect.legal_force_on == date(2025, 3, 25)
    assert not decision_legal_effect(decision, today=date(2025, 3, 24)).has_legal_force
    assert services.motions_close_with_legal_force(today=date(2025, 6, 1)) == [decision.motion]
    assert Motion.objects.get(pk=decision.motion_id).status == MotionStatus.CLOSED


def test_an_annulled_decision_never_gains_legal_force(appealed):
    decision, appeal = appealed
    appeal.result, appeal.result_on, appeal.final_on = (
        "annulled",
        date(2025, 3, 3),
        date(2025, 3, 25),
    )
    appeal.save()
    effect = decision_legal_effect(decision, today=date(2030, 1, 1))
    assert effect.annulled
    assert not effect.has_legal_force
    assert effect.legal_force_on is None
    assert services.motions_close_with_legal_force(today=date(2030, 1, 1)) == []
    with pytest.raises(ValidationError, match="annulled"):
        services.motion_close(motion=decision.motion, closed_on=date(2030, 1, 1))


@pytest.mark.parametrize(
    ("result", "result_on", "final_on"),
    [
        ("rejected", date(2025, 3, 3), date(2025, 3, 2)),  # final before the judgment
        ("", None, date(2025, 3, 25)),  # final with no judgment
    ],
)
def test_the_final_date_must_follow_a_judgment(appealed, result, result_on, final_on):
    _decision, appeal = appealed
    appeal.result, appeal.result_on, appeal.final_on = result, result_on, final_on
    with pytest.raises(ValidationError) as refused:
        appeal.full_clean()
    assert "final_on" in refused.value.message_dict


def test_the_admin_asks_for_the_final_date_and_the_assignment(client, superuser, appealed):
    decision, appeal = appealed
    appeal.result, appeal.result_on, appeal.final_on = (
        "rejected",
        date(2025, 3, 3),
        date(2025, 3, 25),
    )
    appeal.save()
    form = client.get(reverse("wagtailsnippets_motions_appeal:edit", args=[appeal.pk]))
    assert 'name="final_on"' in form.content.decode()
    edit = client.get(reverse("wagtailsnippets_motions_decision:edit", args=[decision.pk]))
    html = edit.content.decode()
    assert 'name="gives_assignment"' in html
    assert "2025-03-25" in html  # the legal-effect panel gives the day the judgment became final


# --- 7. A proposal's versions carry the committee's dates --------------------------------


def test_each_proposal_version_carries_the_date_the_committee_decided_it(client, public_site, body):
    motion = MotionFactory(body=body, submitted_on=date(2024, 2, 1))
    proposal = ProposalFactory(motion=motion, proposed_on=date(2024, 4, 8), paragraph="61")
    services.proposal_revise(
        proposal=proposal,
        outcomes=all_clauses(motion, "rejected"),
        text="<p>Motionen avslås.</p>",
        proposed_on=date(2024, 5, 13),
        paragraph="201",
    )
    first, second = proposal_versions([proposal])[proposal.pk]
    assert (first.proposed_on, second.proposed_on) == (date(2024, 4, 8), date(2024, 5, 13))

    html = client.get(motion.get_url()).content.decode()
    assert '<time datetime="2024-04-08">' in html
    assert '<time datetime="2024-05-13">' in html


def test_a_revision_cannot_be_dated_before_the_motion(body):
    motion = MotionFactory(body=body, submitted_on=date(2024, 2, 1))
    proposal = ProposalFactory(motion=motion)
    with pytest.raises(ValidationError):
        services.proposal_revise(
            proposal=proposal,
            outcomes=all_clauses(motion),
            text="",
            proposed_on=date(2024, 1, 1),
        )
