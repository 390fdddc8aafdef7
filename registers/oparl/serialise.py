"""OParl 1.1 objects from our records: plain functions, what you read is what a client gets.

Each function takes a `Links` (the request, to make absolute URLs) and one row read by the
querysets in `registers.oparl.queries`, which carry the joins and the `oparl_created` /
`oparl_modified` annotations these functions read. Vocabulary values (paperType, role,
organizationType, result) are Swedish data, not interface text: they do not follow the visitor's
language. Our own fields, which OParl has no place for, are prefixed `bs:` and described in
`EXTENSIONS`, which the System object publishes."""

import mimetypes
import posixpath
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from motions.models import DataLicence, MotionKind, OrganKind
from motions.status import result_from_outcomes

SCHEMA = "https://schema.oparl.org/1.1/"

PAPER_TYPES = {
    MotionKind.MOTION: "Motion",
    MotionKind.CITIZEN_PROPOSAL: "Medborgarförslag",
    MotionKind.E_PROPOSAL: "E-förslag",
}
ORGAN_CLASSIFICATION = {
    OrganKind.COUNCIL: "Kommunfullmäktige",
    OrganKind.EXECUTIVE: "Kommunstyrelse",
    OrganKind.COMMITTEE: "Nämnd",
    OrganKind.COMPANY: "Bolag",
    OrganKind.PREPARATORY: "Beredning",
}
MEMBERSHIP_ROLES = {"chair": "Ordförande", "member": "Ledamot", "substitute": "Ersättare"}
RESULTS = {
    "approved": "Bifall",
    "partly_approved": "Delvis bifall",
    "rejected": "Avslag",
    "answered": "Anses besvarad",
    "written_off": "Avskrivs",
    "withdrawn": "Återtagen",
}
CONSULTATION_ROLES = {
    "referral": "Remiss",
    "proposal": "Förslag till beslut",
    "decision": "Beslut",
}

# Published in the System object (`bs:extensions`): the one description of our fields.
EXTENSIONS = {
    "bs:slug": "Body, Organization, Person: the record's short name in the site's addresses.",
    "bs:licence": "Body: the SPDX identifier of the licence of its data (CC0-1.0 or CC-BY-4.0).",
    "bs:kind": (
        "Paper: motion | citizen_proposal | e_proposal. Organization: council | executive | "
        "committee | company | preparatory | party."
    ),
    "bs:status": (
        "Paper: where it stands: submitted, raised, in_preparation, proposal_ready, scheduled, "
        "tabled, sent_back, decided, written_off, withdrawn, closed, collecting, lapsed."
    ),
    "bs:result": (
        "Paper: the overall result derived from its clauses: approved, partly_approved, "
        "rejected, answered, written_off, withdrawn; null while undecided."
    ),
    "bs:decidedOn": "Paper, AgendaItem: the date of the decision (YYYY-MM-DD), or null.",
    "bs:submitters": (
        "Paper: who submitted it, [{name, person, party, organization}], each a URL or null; "
        "a resident is given by name only."
    ),
    "bs:clauses": (
        "Paper: its clauses (att-satser), [{number, text, proposedOutcome, outcome}]: the "
        "outcome the latest published committee proposal proposed and the one the latest "
        "published decision gave, each approved | rejected | answered | written_off | "
        "withdrawn, or null."
    ),
    "bs:commitments": (
        "Paper: what its decisions oblige someone to do, [{title, description, "
        "responsibleOrganization, targetYear, status, progress, clause, agendaItem, web}]; "
        "status is not_started, in_progress, on_hold, completed, partly_completed, "
        "not_carried_out or superseded, from the latest published follow-up."
    ),
    "bs:paragraph": "AgendaItem: the § number in the minutes.",
    "bs:clauseOutcomes": "AgendaItem: the decision's outcome per clause, [{number, outcome}].",
    "bs:paper": "AgendaItem: the Paper the decision answers, or null.",
    "bs:date": (
        "Meeting: its date (YYYY-MM-DD). The time of day is not recorded: `start` is the date "
        "at 00:00 Swedish time."
    ),
    "bs:role": "Membership: chair | member | substitute.",
    "bs:legislativeTerm": "Membership: the LegislativeTerm the membership is for.",
    "bs:sentOn": "Consultation (a referral): the date it was sent (YYYY-MM-DD).",
    "bs:dueOn": "Consultation (a referral): the date the response is due, or null.",
    "bs:answeredOn": "Consultation (a referral): the date it was answered, or null.",
}


class Links:
    """Absolute addresses for one request: every id is a reversed route, never concatenated."""

    def __init__(self, request, *, omit_internal: bool = False):
        self.request = request
        self.omit_internal = omit_internal

    def url(self, name: str, *args) -> str:
        return self.request.build_absolute_uri(reverse(f"oparl:{name}", args=args))

    def maybe(self, name: str, pk) -> str | None:
        return self.url(name, pk) if pk else None

    def web(self, obj) -> str | None:
        url = obj.get_url()
        return self.request.build_absolute_uri(url) if url else None


def stamp(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def licence_url(body) -> str:
    return DataLicence(body.data_licence).url


def common(kind: str, obj, body, url: str) -> dict:
    """The attributes every object has: id, type, licence and its timestamps."""
    data = {"id": url, "type": f"{SCHEMA}{kind}", "license": licence_url(body)}
    for key, attr in (("created", "oparl_created"), ("modified", "oparl_modified")):
        if value := stamp(getattr(obj, attr, None)):
            data[key] = value
    return data


def tidy(data: dict) -> dict:
    """Drop empty optional values: OParl says to leave out what is not known."""
    return {k: v for k, v in data.items() if v not in (None, "", []) or k.startswith("bs:")}


# --- System and Body -------------------------------------------------------------------------


def system(links: Links, *, bodies: list) -> dict:
    licences = {b.data_licence for b in bodies}
    data = {
        "id": links.url("system"),
        "type": f"{SCHEMA}System",
        "oparlVersion": SCHEMA,
        "name": "Beslutsspår",
        "body": links.url("body-list"),
        "website": links.request.build_absolute_uri("/"),
        # One licence for the whole system only when every municipality gives the same one;
        # each object states its own anyway.
        "license": DataLicence(licences.pop()).url if len(licences) == 1 else None,
        "contactEmail": bodies[0].secretariat_email if len(bodies) == 1 else None,
        "bs:extensions": EXTENSIONS,
    }
    return tidy(data)


def body(links: Links, body, *, terms: list) -> dict:
    pk = body.pk
    data = common("Body", body, body, links.url("body", pk))
    data.update(
        {
            "system": links.url("system"),
            "name": body.name,
            "shortName": body.slug,
            "contactEmail": body.secretariat_email,
            "organization": links.url("body-organization", pk),
            "person": links.url("body-person", pk),
            "meeting": links.url("body-meeting", pk),
            "paper": links.url("body-paper", pk),
            "agendaItem": links.url("body-agendaitem", pk),
            "consultation": links.url("body-consultation", pk),
            "file": links.url("body-file", pk),
            "membership": links.url("body-membership", pk),
            "legislativeTermList": links.url("body-legislativeterm", pk),
            "legislativeTerm": [legislative_term(links, t, body=body) for t in terms],
            "classification": "Kommun",
            "bs:slug": body.slug,
            "bs:licence": body.data_licence,
        }
    )
    data = tidy(data)
    data["legislativeTerm"] = data.get("legislativeTerm", [])  # required, even when empty
    return data


def legislative_term(links: Links, term, *, body) -> dict:
    data = common("LegislativeTerm", term, body, links.url("term", term.pk))
    data.update(
        {
            "body": links.url("body", term.body_id),
            "name": str(term),
            "startDate": term.starts_on.isoformat(),
            "endDate": term.ends_on.isoformat(),
        }
    )
    return data


# --- Organizations, people and memberships ------------------------------------------------------


def organ(links: Links, organ) -> dict:
    data = common("Organization", organ, organ.body, links.url("organ", organ.pk))
    data.update(
        {
            "body": links.url("body", organ.body_id),
            "name": organ.name,
            "shortName": organ.abbreviation,
            "organizationType": "Organ",
            "classification": ORGAN_CLASSIFICATION.get(organ.kind, ""),
            "membership": [links.url("membership", m.pk) for m in organ.memberships.all()],
            "bs:kind": organ.kind,
            "bs:slug": organ.slug,
        }
    )
    return tidy(data)


def party(links: Links, party) -> dict:
    data = common("Organization", party, party.body, links.url("party", party.pk))
    data.update(
        {
            "body": links.url("body", party.body_id),
            "name": party.name,
            "shortName": party.abbreviation,
            "organizationType": "Parti",
            "classification": "Parti",
            "bs:kind": "party",
            "bs:slug": party.slug,
        }
    )
    return tidy(data)


def membership(links: Links, membership, *, body) -> dict:
    data = common("Membership", membership, body, links.url("membership", membership.pk))
    data.update(
        {
            "person": links.url("person", membership.person_id),
            "organization": links.url("organ", membership.organ_id),
            "onBehalfOf": links.url("party", membership.party_id),
            "role": MEMBERSHIP_ROLES.get(membership.role, membership.role),
            "votingRight": membership.role != "substitute",
            "startDate": membership.term.starts_on.isoformat(),
            "endDate": membership.term.ends_on.isoformat(),
            "bs:role": membership.role,
            "bs:legislativeTerm": links.url("term", membership.term_id),
        }
    )
    return data


def person(links: Links, person) -> dict:
    data = common("Person", person, person.body, links.url("person", person.pk))
    data.update({"body": links.url("body", person.body_id), "name": person.name})
    if not links.omit_internal:
        data["membership"] = [
            membership(links, m, body=person.body) for m in person.memberships.all()
        ]
    data["bs:slug"] = person.slug
    return data


# --- Meetings, agenda items and files -----------------------------------------------------------


def meeting(links: Links, meeting) -> dict:
    organ = meeting.organ
    data = common("Meeting", meeting, organ.body, links.url("meeting", meeting.pk))
    start = datetime.combine(meeting.date, time(0), tzinfo=ZoneInfo(settings.TIME_ZONE))
    data.update(
        {
            "name": meeting.title or str(meeting),
            "start": start.isoformat(timespec="seconds"),
            "organization": [links.url("organ", meeting.organ_id)],
            "bs:date": meeting.date.isoformat(),
        }
    )
    if not links.omit_internal:
        data["agendaItem"] = [
            agenda_item(links, d, body=organ.body, meeting=meeting)
            for d in meeting.public_decisions
        ]
    return data


def agenda_item(links: Links, decision, *, body, meeting=None) -> dict:
    meeting = meeting or decision.meeting
    outcomes = list(decision.clause_outcomes.all())
    result = result_from_outcomes([o.outcome for o in outcomes])
    data = common("AgendaItem", decision, body, links.url("agendaitem", decision.pk))
    data.update(
        {
            "meeting": links.url("meeting", meeting.pk),
            "number": f"§ {decision.paragraph}",
            "order": decision.paragraph,
            "name": decision.title,
            "public": True,
            "consultation": (
                links.url("consultation-decision", decision.pk) if decision.motion_id else None
            ),
            "result": RESULTS.get(result),
            "resolutionText": strip_tags(decision.text),  # plain text: no stored link markup
            "auxiliaryFile": [file(links, d.document, body=body) for d in decision.documents.all()],
            "bs:paragraph": decision.paragraph,
            "bs:decidedOn": decision.decided_on.isoformat(),
            "bs:clauseOutcomes": [
                {"number": o.clause_number, "outcome": o.outcome} for o in outcomes
            ],
            "bs:paper": links.maybe("paper", decision.motion_id),
        }
    )
    return tidy(data)


def file(links: Links, document, *, body) -> dict:
    """A Wagtail document; its address is Wagtail's own serve view, which applies the
    collection's privacy settings."""
    name = posixpath.basename(document.file.name)
    data = {
        "id": links.url("file", document.pk),
        "type": f"{SCHEMA}File",
        "license": licence_url(body),
        "created": stamp(document.created_at),
        "modified": stamp(document.created_at),
        "name": document.title,
        "fileName": name,
        "mimeType": mimetypes.guess_type(name)[0],
        "date": timezone.localtime(document.created_at).date().isoformat(),
        "size": document.file_size,
        "sha1Checksum": document.file_hash,
        "accessUrl": links.request.build_absolute_uri(document.url),
        "downloadUrl": links.request.build_absolute_uri(document.url),
        "fileLicense": licence_url(body),
    }
    return tidy(data)


# --- Papers and consultations -------------------------------------------------------------------


def paper(links: Links, motion) -> dict:
    body = motion.body
    decisions = motion.public_decisions  # oldest first: the latest decision's outcome wins
    proposals = motion.public_proposals
    decided = {o.clause_number: o.outcome for d in decisions for o in d.clause_outcomes.all()}
    proposed = {o.clause_number: o.outcome for p in proposals for o in p.outcomes.all()}
    submitters = list(motion.submitters.all())
    data = common("Paper", motion, body, links.url("paper", motion.pk))
    data.update(
        {
            "body": links.url("body", motion.body_id),
            "name": motion.title,
            "reference": motion.case_number,
            "date": motion.submitted_on.isoformat(),
            "paperType": PAPER_TYPES.get(motion.kind, "Motion"),
            "mainFile": file(links, motion.document, body=body) if motion.document_id else None,
            "originatorPerson": list(
                dict.fromkeys(links.url("person", s.person_id) for s in submitters if s.person_id)
            ),
            "originatorOrganization": list(
                dict.fromkeys(links.url("organ", s.organ_id) for s in submitters if s.organ_id)
            ),
            "underDirectionOf": list(
                dict.fromkeys(links.url("organ", p.organ_id) for p in proposals)
            ),
            "consultation": consultations(links, motion),
            "keyword": [t.name for t in motion.topics.all()],
            "web": links.web(motion),
        }
    )
    if not links.omit_internal:
        data["auxiliaryFile"] = [
            file(links, r.response_document, body=body)
            for r in motion.referrals.all()
            if r.response_document_id
        ]
    data = tidy(data)
    data.update(
        {
            "bs:kind": motion.kind,
            "bs:status": motion.status,
            "bs:result": motion.result or None,
            "bs:decidedOn": motion.decided_on.isoformat() if motion.decided_on else None,
            "bs:submitters": [
                {
                    "name": s.display_name,
                    "person": links.maybe("person", s.person_id),
                    "party": links.maybe("party", s.party_id),
                    "organization": links.maybe("organ", s.organ_id),
                }
                for s in submitters
            ],
            "bs:clauses": [
                {
                    "number": number,
                    "text": clause.text,
                    "proposedOutcome": proposed.get(number),
                    "outcome": decided.get(number),
                }
                for number, clause in enumerate(motion.clauses.all(), start=1)
            ],
            "bs:commitments": [
                commitment(links, c, decision=d) for d in decisions for c in d.public_commitments
            ],
        }
    )
    return data


def commitment(links: Links, commitment, *, decision) -> dict:
    return {
        "title": commitment.title,
        "description": commitment.description,
        "responsibleOrganization": links.url("organ", commitment.responsible_organ_id),
        "targetYear": commitment.target_year,
        "status": commitment.current_status,
        "progress": commitment.current_progress,
        "clause": commitment.clause_number,
        "agendaItem": links.url("agendaitem", decision.pk),
        "web": links.web(commitment),
    }


def consultations(links: Links, motion) -> list[dict]:
    """A motion's way through the organs: referrals, proposals, then the council's decisions."""
    paper_url = links.url("paper", motion.pk)
    return (
        [
            referral_consultation(links, r, motion=motion, paper_url=paper_url)
            for r in motion.referrals.all()
        ]
        + [
            proposal_consultation(links, p, body=motion.body, paper_url=paper_url)
            for p in motion.public_proposals
        ]
        + [
            decision_consultation(links, d, body=motion.body, paper_url=paper_url)
            for d in motion.public_decisions
        ]
    )


def referral_consultation(links: Links, referral, *, motion, paper_url=None) -> dict:
    data = common(
        "Consultation", referral, motion.body, links.url("consultation-referral", referral.pk)
    )
    data.update(
        {
            "paper": paper_url or links.url("paper", motion.pk),
            "organization": [links.url("organ", referral.organ_id)],
            "authoritative": False,
            "role": CONSULTATION_ROLES["referral"],
            "bs:sentOn": referral.sent_on.isoformat(),
            "bs:dueOn": referral.due_on.isoformat() if referral.due_on else None,
            "bs:answeredOn": referral.answered_on.isoformat() if referral.answered_on else None,
        }
    )
    return data


def proposal_consultation(links: Links, proposal, *, body, paper_url=None) -> dict:
    data = common("Consultation", proposal, body, links.url("consultation-proposal", proposal.pk))
    data.update(
        {
            "paper": paper_url or links.url("paper", proposal.motion_id),
            "organization": [links.url("organ", proposal.organ_id)],
            "authoritative": False,
            "role": CONSULTATION_ROLES["proposal"],
        }
    )
    return data


def decision_consultation(links: Links, decision, *, body, paper_url=None) -> dict:
    data = common("Consultation", decision, body, links.url("consultation-decision", decision.pk))
    data.update(
        {
            "paper": paper_url or links.url("paper", decision.motion_id),
            "agendaItem": links.url("agendaitem", decision.pk),
            "meeting": links.url("meeting", decision.meeting_id),
            "organization": [links.url("organ", decision.meeting.organ_id)],
            "authoritative": True,
            "role": CONSULTATION_ROLES["decision"],
        }
    )
    return data
