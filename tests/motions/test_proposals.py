"""Citizen proposals and e-proposals on their own path, under each municipality's own rules:
who may lodge a motion, the cut-off before a council meeting, the e-proposal's signature window,
the one-year rule per kind, and what the public page calls each kind."""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from motions import services
from motions.models import (
    EventKind,
    Membership,
    MembershipRole,
    Motion,
    MotionKind,
    MotionRight,
    MotionStatus,
    OrganKind,
)
from motions.reports import undecided_on
from motions.tasks import close_lapsed_e_proposals
from tests.factories import (
    MeetingFactory,
    MotionFactory,
    OrganFactory,
    PartyFactory,
    PersonFactory,
    TermFactory,
)
from tests.motions.test_admin import formset
from tests.records import snippet_url

pytestmark = pytest.mark.django_db

SUBMITTED = date(2024, 2, 1)
RESIDENT = [{"resident_name": "Eva Invånare"}]


@pytest.fixture(autouse=True)
def _english():
    """The services' reasons in English: the Swedish catalogue of the new ones comes later."""
    with translation.override("en"):
        yield


@pytest.fixture
def council(body):
    """Borås's council, executive committee and a term with one member and one substitute."""
    kf = OrganFactory(body=body)
    ks = OrganFactory(body=body, executive=True)
    term = TermFactory(body=body)
    party = PartyFactory(body=body)
    member, substitute, outsider = (PersonFactory(body=body) for _ in range(3))
    Membership.objects.create(person=member, organ=kf, party=party, term=term)
    Membership.objects.create(
        person=substitute, organ=kf, party=party, term=term, role=MembershipRole.SUBSTITUTE
    )
    return {
        "body": body,
        "kf": kf,
        "ks": ks,
        "term": term,
        "party": party,
        "member": member,
        "substitute": substitute,
        "outsider": outsider,
    }


def rules(body, **fields):
    for name, value in fields.items():
        setattr(body, name, value)
    body.full_clean()
    body.save()
    return body


def lodge(c, person, *, kind=MotionKind.MOTION, submitted_on=SUBMITTED, **submitter):
    return MotionFactory(
        body=c["body"],
        kind=kind,
        submitted_on=submitted_on,
        submitters=[{"person": person, "party": c["party"], **submitter}],
    )


def e_proposal(body, **fields):
    fields.setdefault("submitted_on", SUBMITTED)
    return MotionFactory(body=body, kind=MotionKind.E_PROPOSAL, submitters=RESIDENT, **fields)


# --- the municipality's rules ------------------------------------------------------------


def test_the_rules_are_edited_where_the_municipality_is_and_offer_only_its_own_organs(
    client, superuser, council
):
    body, ks = council["body"], council["ks"]
    elsewhere = OrganFactory(executive=True)
    url = snippet_url(body, "edit", body.pk)

    page = client.get(url).content.decode()
    for field in (
        "motion_right",
        "motion_cutoff_days",
        "citizen_proposals_allowed",
        "one_year_rule_citizen_proposals",
        "one_year_rule_e_proposals",
        "e_proposal_threshold",
        "e_proposal_window_days",
        "proposal_organ",
    ):
        assert f'name="{field}"' in page
    data = {
        "name": body.name,
        "slug": body.slug,
        "secretariat_email": "",
        "data_licence": body.data_licence,
        "deadline_anchor": body.deadline_anchor,
        "approaching_window_days": "60",
        "one_year_rule_citizen_proposals": "on",
        "motion_right": MotionRight.SERVING_SUBSTITUTES,
        "motion_cutoff_days": "14",
        "citizen_proposals_allowed": "",
        "e_proposal_threshold": "150",
        "e_proposal_window_days": "90",
        "proposal_organ": str(elsewhere.pk),
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "proposal_organ" in refused.context["form"].errors

    response = client.post(url, data | {"proposal_organ": str(ks.pk)})
    assert response.status_code == 302, response.context["form"].errors
    body.refresh_from_db()
    assert body.motion_right == MotionRight.SERVING_SUBSTITUTES
    assert body.motion_cutoff_days == 14
    assert not body.citizen_proposals_allowed
    assert (body.e_proposal_threshold, body.e_proposal_window_days) == (150, 90)
    assert body.proposal_organ == ks


def test_a_proposal_organ_of_another_municipality_is_refused(council):
    body = council["body"]
    body.proposal_organ = OrganFactory(executive=True)
    with pytest.raises(ValidationError, match="another municipality"):
        body.full_clean()


# --- who may lodge a motion --------------------------------------------------------------


def test_without_a_rule_nobody_is_checked(council):
    assert lodge(council, council["outsider"]).pk


def test_a_member_may_lodge_a_motion_and_a_non_member_may_not(council):
    rules(council["body"], motion_right=MotionRight.MEMBERS)
    assert lodge(council, council["member"]).pk
    with pytest.raises(ValidationError, match="not a member"):
        lodge(council, council["outsider"])
    assert Motion.objects.count() == 1


def test_membership_is_read_in_the_motion_term(council):
    rules(council["body"], motion_right=MotionRight.MEMBERS)
    with pytest.raises(ValidationError, match="No term"):
        lodge(council, council["member"], submitted_on=date(2021, 3, 1))
    later = TermFactory(
        body=council["body"], starts_on=date(2026, 10, 15), ends_on=date(2030, 10, 14)
    )
    with pytest.raises(ValidationError, match="not a member"):
        lodge(council, council["member"], submitted_on=date(2027, 3, 1))
    assert later.pk


def test_a_substitute_under_each_rule(council):
    body, substitute = council["body"], council["substitute"]
    rules(body, motion_right=MotionRight.MEMBERS)
    with pytest.raises(ValidationError, match="only members"):
        lodge(council, substitute)

    rules(body, motion_right=MotionRight.SERVING_SUBSTITUTES)
    with pytest.raises(ValidationError, match="only while serving"):
        lodge(council, substitute)
    other_day = MeetingFactory(organ=council["kf"], date=SUBMITTED - timedelta(days=7))
    with pytest.raises(ValidationError, match="at the meeting where they serve"):
        lodge(council, substitute, serving_at=other_day)
    serving = MeetingFactory(organ=council["kf"], date=SUBMITTED)
    motion = lodge(council, substitute, serving_at=serving)
    assert motion.submitters.get().serving_at == serving

    rules(body, motion_right=MotionRight.SUBSTITUTES)
    assert lodge(council, substitute).pk


def test_a_municipality_without_citizen_proposals_refuses_them(council):
    body = council["body"]
    assert MotionFactory(body=body, kind=MotionKind.CITIZEN_PROPOSAL, submitters=RESIDENT).pk
    rules(body, citizen_proposals_allowed=False)
    with pytest.raises(ValidationError, match="does not take citizen proposals"):
        MotionFactory(body=body, kind=MotionKind.CITIZEN_PROPOSAL, submitters=RESIDENT)


def motion_form(c, person, **fields) -> dict:
    return {
        "body": str(c["body"].pk),
        "kind": "motion",
        "case_number": "KS 2024-00555",
        "submitted_on": SUBMITTED.isoformat(),
        "title": "En motion från admin",
        "term": "",
        "document": "",
        "signature_threshold": "",
        "signature_window_days": "",
        **formset("clauses", [{"text": "att något görs"}]),
        **formset(
            "submitters",
            [
                {
                    "person": str(person.pk),
                    "party": str(c["party"].pk),
                    "serving_at": "",
                    "organ": "",
                    "resident_name": "",
                    "resident_email": "",
                    "resident_phone": "",
                }
            ],
        ),
        **fields,
    }


def test_the_admin_form_refuses_a_submitter_without_the_right(client, superuser, council):
    rules(council["body"], motion_right=MotionRight.MEMBERS, citizen_proposals_allowed=False)
    add = reverse("wagtailsnippets_motions_motion:add")

    outsider = council["outsider"]
    refused = client.post(add, motion_form(council, outsider, **{"action-publish": "1"}))
    assert refused.status_code == 200
    assert outsider.name in " ".join(refused.context["form"].non_field_errors())
    citizen = client.post(add, motion_form(council, council["member"], kind="citizen_proposal"))
    assert citizen.status_code == 200
    assert council["body"].name in " ".join(citizen.context["form"].non_field_errors())
    assert not Motion.objects.exists()

    saved = client.post(add, motion_form(council, council["member"]))
    assert saved.status_code == 302
    assert Motion.objects.get().submitters.get().person == council["member"]


def test_publishing_checks_the_submitters_again(council):
    draft = MotionFactory(
        body=council["body"],
        submitters=[{"person": council["outsider"], "party": council["party"]}],
        publish=False,
    )
    rules(council["body"], motion_right=MotionRight.MEMBERS)
    with pytest.raises(ValidationError, match="not a member"):
        services.motion_publish(motion=Motion.objects.get(pk=draft.pk))
    assert not Motion.objects.get(pk=draft.pk).live


# --- the cut-off before a council meeting ------------------------------------------------


def test_raising_inside_the_cut_off_is_refused_and_names_the_next_meeting(council):
    rules(council["body"], motion_cutoff_days=14)
    motion = lodge(council, council["member"])
    too_soon = MeetingFactory(organ=council["kf"], date=SUBMITTED + timedelta(days=10))
    next_one = MeetingFactory(organ=council["kf"], date=SUBMITTED + timedelta(days=40))

    with pytest.raises(ValidationError) as refused:
        services.motion_raise(motion=motion, meeting=too_soon)
    message = " ".join(refused.value.messages)
    assert "14" in message
    assert next_one.date.isoformat() in message
    assert not Motion.objects.get(pk=motion.pk).raised_at_id

    services.motion_raise(motion=motion, meeting=next_one)
    assert Motion.objects.get(pk=motion.pk).raised_at == next_one


def test_a_motion_registered_as_raised_inside_the_cut_off_is_refused(council):
    rules(council["body"], motion_cutoff_days=14)
    meeting = MeetingFactory(organ=council["kf"], date=SUBMITTED + timedelta(days=13))
    with pytest.raises(ValidationError, match="14 days"):
        MotionFactory(body=council["body"], raised_at=meeting)


# --- e-proposals ---------------------------------------------------------------------------


@pytest.fixture
def boras_rules(council):
    return rules(
        council["body"],
        e_proposal_threshold=150,
        e_proposal_window_days=90,
        proposal_organ=council["ks"],
    )


def test_an_e_proposal_needs_the_municipality_rule_and_keeps_the_rule_it_was_submitted_under(
    council,
):
    with pytest.raises(ValidationError, match="no e-proposal rule"):
        e_proposal(council["body"])
    body = rules(council["body"], e_proposal_threshold=100, e_proposal_window_days=90)
    old = e_proposal(body)
    rules(body, e_proposal_threshold=150)
    new = e_proposal(body)

    assert (old.signature_threshold, old.signature_window_days) == (100, 90)
    assert (new.signature_threshold, new.signature_window_days) == (150, 90)
    assert new.status == MotionStatus.COLLECTING
    assert new.signatures_close_on == SUBMITTED + timedelta(days=90)


def test_an_e_proposal_reaching_its_threshold_goes_to_the_organ_the_rules_name(boras_rules):
    proposal = e_proposal(boras_rules)
    services.e_proposal_register_signatures(
        motion=proposal, count=120, counted_on=SUBMITTED + timedelta(days=30)
    )
    proposal = Motion.objects.get(pk=proposal.pk)
    assert (proposal.signature_count, proposal.status) == (120, MotionStatus.COLLECTING)

    reached_on = SUBMITTED + timedelta(days=60)
    services.e_proposal_register_signatures(motion=proposal, count=151, counted_on=reached_on)
    proposal = Motion.objects.get(pk=proposal.pk)
    event = proposal.events.get(kind=EventKind.THRESHOLD_REACHED)
    assert (event.happened_on, event.organ) == (reached_on, boras_rules.proposal_organ)
    assert proposal.status == MotionStatus.IN_PREPARATION
    with pytest.raises(ValidationError):
        services.e_proposal_register_signatures(motion=proposal, count=160, counted_on=reached_on)
    # The organ decides it without the council's proposal step.
    meeting = MeetingFactory(organ=boras_rules.proposal_organ, date=reached_on + timedelta(days=30))
    services.motion_schedule(motion=proposal, meeting=meeting)
    assert Motion.objects.get(pk=proposal.pk).status == MotionStatus.SCHEDULED


def test_a_count_after_the_window_is_refused(boras_rules):
    proposal = e_proposal(boras_rules)
    with pytest.raises(ValidationError, match="closed on"):
        services.e_proposal_register_signatures(
            motion=proposal, count=200, counted_on=SUBMITTED + timedelta(days=91)
        )
    assert Motion.objects.get(pk=proposal.pk).signature_count is None


def test_the_daily_task_lapses_e_proposals_below_the_threshold_once(boras_rules):
    lapsing = e_proposal(boras_rules)
    services.e_proposal_register_signatures(motion=lapsing, count=80, counted_on=SUBMITTED)
    open_one = e_proposal(boras_rules, submitted_on=date.today())
    reached = e_proposal(boras_rules)
    services.e_proposal_register_signatures(motion=reached, count=150, counted_on=SUBMITTED)

    assert close_lapsed_e_proposals() == 1
    assert close_lapsed_e_proposals() == 0

    lapsing = Motion.objects.get(pk=lapsing.pk)
    assert lapsing.status == MotionStatus.LAPSED
    assert lapsing.events.get(kind=EventKind.LAPSED).happened_on == SUBMITTED + timedelta(days=90)
    assert Motion.objects.get(pk=open_one.pk).status == MotionStatus.COLLECTING
    assert Motion.objects.get(pk=reached.pk).status == MotionStatus.IN_PREPARATION
    assert lapsing.events.filter(kind=EventKind.LAPSED).count() == 1


def test_the_lifecycle_tab_registers_signatures(client, superuser, boras_rules):
    proposal = e_proposal(boras_rules)
    edit = client.get(snippet_url(proposal, "edit", proposal.pk)).content.decode()
    url = reverse("motions_action", args=[proposal.pk, "signatures"])
    assert url in edit

    response = client.post(
        url,
        {
            "request_key": "signatures-1",
            "count": "150",
            "counted_on": (SUBMITTED + timedelta(days=5)).isoformat(),
            "organ": str(boras_rules.proposal_organ.pk),
        },
    )
    assert response.status_code == 302
    assert Motion.objects.get(pk=proposal.pk).status == MotionStatus.IN_PREPARATION


# --- the one-year rule per kind --------------------------------------------------------------


def test_the_one_year_deadline_only_where_the_rules_give_it(boras_rules):
    body = boras_rules
    motion = MotionFactory(body=body, submitters=RESIDENT)
    citizen = MotionFactory(body=body, kind=MotionKind.CITIZEN_PROPOSAL, submitters=RESIDENT)
    eprop = e_proposal(body)
    assert motion.deadline_on == date(2025, 2, 1)
    assert citizen.deadline_on == date(2025, 2, 1)
    assert eprop.deadline_on is None

    rules(body, one_year_rule_citizen_proposals=False, one_year_rule_e_proposals=True)
    for record in (citizen, eprop, motion):
        services.motion_refresh_status(motion=Motion.objects.get(pk=record.pk))
    assert Motion.objects.get(pk=citizen.pk).deadline_on is None
    assert Motion.objects.get(pk=eprop.pk).deadline_on == date(2025, 2, 1)
    assert Motion.objects.get(pk=motion.pk).deadline_on == date(2025, 2, 1)


# --- what the public page calls each kind ---------------------------------------------------


def article_text(response) -> str:
    html = response.content.decode()
    article = html[html.index("<article") : html.index("</article>")]
    return " ".join(strip_tags(article).split())


@pytest.mark.parametrize(
    "kind", [MotionKind.MOTION, MotionKind.CITIZEN_PROPOSAL, MotionKind.E_PROPOSAL]
)
def test_the_public_page_names_each_kind(client, public_site, kind):
    rules(public_site.body, e_proposal_threshold=150, e_proposal_window_days=90)
    record = MotionFactory(
        body=public_site.body, kind=kind, submitters=RESIDENT, text="<p>Skäl.</p>"
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    text = article_text(client.get(record.get_url()))

    if kind == MotionKind.MOTION:
        assert "The motion" in text
        assert "Follow the motion" in text
    else:
        assert "The proposal" in text
        assert "Follow the proposal" in text
        assert not re.search(r"\bmotion", text, re.IGNORECASE), text
    if kind == MotionKind.E_PROPOSAL:
        assert "0 of 150 needed" in text
        assert "open for signing until" in text


def test_a_council_organ_is_needed_to_count_as_a_member(council):
    """Membership of the executive committee is not a council seat."""
    Membership.objects.filter(person=council["member"]).update(organ=council["ks"])
    assert council["ks"].kind == OrganKind.EXECUTIVE
    rules(council["body"], motion_right=MotionRight.MEMBERS)
    with pytest.raises(ValidationError, match="not a member"):
        lodge(council, council["member"])


def test_the_undecided_report_lists_only_records_under_the_one_year_rule(boras_rules):
    rules(boras_rules, one_year_rule_citizen_proposals=False)
    motion = MotionFactory(body=boras_rules, submitters=RESIDENT)
    citizen = MotionFactory(body=boras_rules, kind=MotionKind.CITIZEN_PROPOSAL, submitters=RESIDENT)
    eprop = e_proposal(boras_rules)
    services.e_proposal_register_signatures(motion=eprop, count=150, counted_on=SUBMITTED)

    listed = set(undecided_on(body=boras_rules, as_of=date(2025, 6, 1)))
    assert motion in listed
    assert citizen not in listed
    assert eprop not in listed
