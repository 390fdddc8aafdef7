"""The read-only open data API for the council's record (`/api/v1/`, wired in `cms.api`).

Everything starts from `published()`. Lists use keyset (cursor) pagination, so the
thousandth page costs what the first does, and a fixed number of queries per page.
Field names follow Popolo (snake_case) and OParl where they fit; see the README."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router

from cms.keyset import Keyset
from motions.filters import MotionFilter
from motions.models import (
    Body,
    CommitteeProposal,
    DataLicence,
    Decision,
    Meeting,
    Membership,
    Motion,
    Organ,
    Party,
    Person,
    Submitter,
)

from .envelope import (
    BY_ID,
    PageParams,
    api_url,
    filter_params_schema,
    filtered,
    own,
    paginated,
    ref,
    scoped,
    web_url,
    whole_number_param,
)

router = Router()


MOTION_KEYSET = Keyset(("submitted_on", "id"))
DECISION_KEYSET = Keyset(("decided_on", "id"))


# --- serializers (plain functions: what you read is what the client gets) --------------------


def body_data(request, body: Body) -> dict:
    return {
        "id": body.pk,
        "url": api_url(request, "bodies", body.pk),
        "name": body.name,
        "short_name": body.slug,
        "license": DataLicence(body.data_licence).url,
        "organizations": api_url(request, "organs", body=body.slug),
        "parties": api_url(request, "parties", body=body.slug),
        "people": api_url(request, "people", body=body.slug),
        "meetings": api_url(request, "meetings", body=body.slug),
        "motions": api_url(request, "motions", body=body.slug),
        "decisions": api_url(request, "decisions", body=body.slug),
    }


def organ_data(request, organ: Organ) -> dict:
    return {
        "id": organ.pk,
        "url": api_url(request, "organs", organ.pk),
        "name": organ.name,
        "short_name": organ.abbreviation,
        "slug": organ.slug,
        "classification": organ.kind,
        "seats": organ.seats,
        "body": ref(request, "bodies", organ.body),
    }


def party_data(request, party: Party) -> dict:
    return {
        "id": party.pk,
        "url": api_url(request, "parties", party.pk),
        "name": party.name,
        "short_name": party.abbreviation,
        "slug": party.slug,
        "classification": "party",
        "body": ref(request, "bodies", party.body),
    }


def membership_data(request, membership: Membership) -> dict:
    return {
        "organization": ref(request, "organs", membership.organ),
        "on_behalf_of": ref(request, "parties", membership.party),
        "role": membership.role,
        "start_date": membership.term.starts_on,
        "end_date": membership.term.ends_on,
    }


def person_data(request, person: Person) -> dict:
    return {
        "id": person.pk,
        "url": api_url(request, "people", person.pk),
        "name": person.name,
        "slug": person.slug,
        "body": ref(request, "bodies", person.body),
        "memberships": [membership_data(request, m) for m in person.memberships.all()],
    }


def meeting_data(request, meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "url": api_url(request, "meetings", meeting.pk),
        "name": meeting.title or str(meeting),
        "start_date": meeting.date,
        "organization": ref(request, "organs", meeting.organ),
    }


def submitter_data(request, submitter: Submitter) -> dict:
    """Residents are named but their contact details never leave the admin (GDPR)."""
    return {
        "name": submitter.display_name,
        "person": ref(request, "people", submitter.person),
        "on_behalf_of": ref(request, "parties", submitter.party),
        "organization": ref(request, "organs", submitter.organ),
    }


def motion_summary(request, motion: Motion) -> dict:
    return {
        "id": motion.pk,
        "url": api_url(request, "motions", motion.pk),
        "web": web_url(request, motion),
        "reference": motion.case_number,
        "name": motion.title,
        "classification": motion.kind,
        "date": motion.submitted_on,
        "status": motion.status,
        "result": motion.result or None,
        "decided_on": motion.decided_on,
        "deadline_on": motion.deadline_on,
        "body": ref(request, "bodies", motion.body),
        "creators": [submitter_data(request, s) for s in motion.submitters.all()],
    }


def outcomes(rows) -> list[dict]:
    return [{"clause": row.clause_number, "outcome": row.outcome} for row in rows]


def statements(request, rows) -> list[dict]:
    return [
        {
            "kind": getattr(row, "kind", None),
            "party": ref(request, "parties", row.party),
            "person": ref(request, "people", row.person),
            "text": row.text,
        }
        for row in rows
    ]


def proposal_data(request, proposal: CommitteeProposal) -> dict:
    return {
        "id": proposal.pk,
        "organization": ref(request, "organs", proposal.organ),
        "date": proposal.proposed_on,
        "paragraph": proposal.paragraph,
        "text": proposal.text,
        "clause_outcomes": outcomes(proposal.outcomes.all()),
        "alternatives": statements(request, proposal.alternatives.all()),
        "reservations": statements(request, proposal.reservations.all()),
    }


def vote_event(decision: Decision) -> dict | None:
    """Popolo VoteEvent: totals and the per-party breakdown."""
    if decision.vote_method != "vote":
        return None
    return {
        "counts": [
            {"option": "yes", "value": decision.votes_for},
            {"option": "no", "value": decision.votes_against},
            {"option": "abstain", "value": decision.votes_abstaining},
            {"option": "absent", "value": decision.votes_absent},
        ],
        "group_results": [
            {
                "group": {"id": pv.party_id, "name": str(pv.party)},
                "counts": [
                    {"option": "yes", "value": pv.votes_for},
                    {"option": "no", "value": pv.votes_against},
                    {"option": "abstain", "value": pv.votes_abstaining},
                    {"option": "absent", "value": pv.votes_absent},
                ],
            }
            for pv in decision.party_votes.all()
        ],
    }


def decision_summary(request, decision: Decision) -> dict:
    return {
        "id": decision.pk,
        "url": api_url(request, "decisions", decision.pk),
        "web": web_url(request, decision),
        "name": decision.title,
        "reference": decision.case_number,
        "paragraph": decision.paragraph,
        "date": decision.decided_on,
        "meeting": ref(request, "meetings", decision.meeting),
        "organization": ref(request, "organs", decision.meeting.organ),
        "motion": ref(request, "motions", decision.motion) if decision.motion_id else None,
    }


def decision_data(request, decision: Decision) -> dict:
    return {
        **decision_summary(request, decision),
        "text": decision.text,
        "clause_outcomes": outcomes(decision.clause_outcomes.all()),
        "vote_method": decision.vote_method,
        "vote_event": vote_event(decision),
        "statements": statements(request, decision.statements.all()),
        "dispatched_to": [ref(request, "organs", organ) for organ in decision.dispatched_to.all()],
        "minutes_approved_on": decision.minutes_approved_on,
        "notice_posted_on": decision.notice_posted_on,
    }


def motion_data(request, motion: Motion) -> dict:
    return {
        **motion_summary(request, motion),
        "text": motion.text,
        "clauses": [
            {"number": n, "text": c.text} for n, c in enumerate(motion.clauses.all(), start=1)
        ],
        "subjects": [{"name": t.name, "slug": t.slug} for t in motion.topics.all()],
        "areas": [{"name": a.name, "slug": a.slug} for a in motion.areas.all()],
        "raised_at": ref(request, "meetings", motion.raised_at),
        "referrals": [
            {
                "organization": ref(request, "organs", r.organ),
                "sent_on": r.sent_on,
                "due_on": r.due_on,
                "answered_on": r.answered_on,
                "response_summary": r.response_summary,
            }
            for r in motion.referrals.all()
        ],
        "proposals": [proposal_data(request, p) for p in motion.proposals.all()],
        "decisions": [decision_data(request, d) for d in motion.decisions.all()],
    }


# --- querysets ---------------------------------------------------------------------------


def motions_for_api():
    return Motion.objects.published().for_list()


def decisions_for_list():
    return Decision.objects.published().select_related("meeting__organ", "motion", "body")


def decisions_for_detail():
    return Decision.objects.published().for_story().select_related("body", "motion")


def people_for_api():
    return Person.objects.select_related("body").prefetch_related(
        Prefetch(
            "memberships", queryset=Membership.objects.select_related("organ", "party", "term")
        )
    )


# --- endpoints ----------------------------------------------------------------------------

MotionParams = filter_params_schema(MotionFilter)


class DecisionParams(PageParams):
    year: whole_number_param(1900, 2100) | None = Field(None, description="Decided in this year")


@router.get(
    "/bodies", url_name="bodies", tags=["organisation"], summary="Municipalities (OParl Body)"
)
def list_bodies(request, params: Query[PageParams]):
    return paginated(request, params, BY_ID, own(request, Body.objects.all(), "pk"), body_data)


@router.get(
    "/bodies/{int:body_id}",
    url_name="bodies-detail",
    tags=["organisation"],
    summary="One municipality",
)
def get_body(request, body_id: int):
    return body_data(request, get_object_or_404(own(request, Body.objects.all(), "pk"), pk=body_id))


@router.get(
    "/organs",
    url_name="organs",
    tags=["organisation"],
    summary="Council, executive committee, committees, companies",
)
def list_organs(request, params: Query[PageParams]):
    return paginated(
        request,
        params,
        BY_ID,
        scoped(request, params, Organ.objects.select_related("body")),
        organ_data,
    )


@router.get(
    "/organs/{int:organ_id}", url_name="organs-detail", tags=["organisation"], summary="One organ"
)
def get_organ(request, organ_id: int):
    return organ_data(
        request, get_object_or_404(own(request, Organ.objects.select_related("body")), pk=organ_id)
    )


@router.get(
    "/parties",
    url_name="parties",
    tags=["organisation"],
    summary="Parties (Popolo Organization, classification party)",
)
def list_parties(request, params: Query[PageParams]):
    return paginated(
        request,
        params,
        BY_ID,
        scoped(request, params, Party.objects.select_related("body")),
        party_data,
    )


@router.get(
    "/parties/{int:party_id}", url_name="parties-detail", tags=["organisation"], summary="One party"
)
def get_party(request, party_id: int):
    return party_data(
        request, get_object_or_404(own(request, Party.objects.select_related("body")), pk=party_id)
    )


@router.get(
    "/people",
    url_name="people",
    tags=["organisation"],
    summary="Elected members with their memberships",
)
def list_people(request, params: Query[PageParams]):
    return paginated(request, params, BY_ID, scoped(request, params, people_for_api()), person_data)


@router.get(
    "/people/{int:person_id}", url_name="people-detail", tags=["organisation"], summary="One member"
)
def get_person(request, person_id: int):
    return person_data(request, get_object_or_404(own(request, people_for_api()), pk=person_id))


@router.get(
    "/meetings", url_name="meetings", tags=["organisation"], summary="Meetings of the organs"
)
def list_meetings(request, params: Query[PageParams]):
    meetings = scoped(request, params, Meeting.objects.select_related("organ__body"), "organ__body")
    return paginated(request, params, BY_ID, meetings, meeting_data)


@router.get(
    "/meetings/{int:meeting_id}",
    url_name="meetings-detail",
    tags=["organisation"],
    summary="One meeting with its published decisions",
)
def get_meeting(request, meeting_id: int):
    meeting = get_object_or_404(
        own(request, Meeting.objects.select_related("organ__body"), "organ__body"), pk=meeting_id
    )
    decisions = decisions_for_list().filter(meeting=meeting).order_by("paragraph")
    return {
        **meeting_data(request, meeting),
        "decisions": [decision_summary(request, d) for d in decisions],
    }


@router.get(
    "/motions",
    url_name="motions",
    tags=["record"],
    summary="Published motions, filtered like the motion list (Popolo Motion)",
)
def list_motions(request, params: Query[MotionParams]):
    motions = filtered(MotionFilter, request, params, motions_for_api())
    return paginated(request, params, MOTION_KEYSET, motions, motion_summary)


@router.get(
    "/motions/{int:motion_id}",
    url_name="motions-detail",
    tags=["record"],
    summary="One motion: clauses, referrals, proposals, decisions, votes",
)
def get_motion(request, motion_id: int):
    return motion_data(
        request,
        get_object_or_404(own(request, Motion.objects.published().for_detail()), pk=motion_id),
    )


@router.get(
    "/decisions", url_name="decisions", tags=["record"], summary="Published decisions, newest first"
)
def list_decisions(request, params: Query[DecisionParams]):
    decisions = scoped(request, params, decisions_for_list())
    if params.year:
        decisions = decisions.filter(decided_on__year=params.year)
    return paginated(request, params, DECISION_KEYSET, decisions, decision_summary)


@router.get(
    "/decisions/{int:decision_id}",
    url_name="decisions-detail",
    tags=["record"],
    summary="One decision with clause outcomes and votes",
)
def get_decision(request, decision_id: int):
    return decision_data(
        request, get_object_or_404(own(request, decisions_for_detail()), pk=decision_id)
    )
