"""What goes into an archive package, read in keyset batches.

A term's package holds the municipality's *published* record: the motions submitted within the
term's dates, each with its whole story (clauses, submitters, referrals, committee proposals,
decisions with their § and outcome per clause, votes, reservations, appeals, commitments and
their published follow-ups), and the decisions of the term that answer no motion. A motion
decided after the term ends still goes with the term it was submitted in, so every motion is
in exactly one term's package. Drafts never are: every read starts from `published()`.

Each batch costs a fixed number of queries whatever its size (pinned in the tests), and only
one batch of records is held in memory at a time."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from motions.models import (
    Appeal,
    CommitteeProposal,
    Decision,
    Motion,
    Referral,
    Submitter,
    Term,
)
from plans.models import Commitment, FollowUp

BATCH_SIZE = 200


@dataclass(frozen=True)
class DocumentRef:
    """An attached Wagtail document and where the package keeps its copy."""

    document: object  # wagtail.documents.models.Document
    path: str  # relative to the representation's data folder

    @classmethod
    def of(cls, document) -> "DocumentRef":
        name = document.file.name.rsplit("/", 1)[-1]
        return cls(document=document, path=f"documents/{document.pk}-{name}")


def term_for(body, label: str) -> Term:
    """The body's term written as "2022-2026" (an en dash works too); Term.DoesNotExist if none."""
    start, _sep, end = label.replace("–", "-").partition("-")
    if not (start.isdigit() and end.isdigit()):
        raise Term.DoesNotExist(label)
    return Term.objects.get(body=body, starts_on__year=int(start), ends_on__year=int(end))


def motions_of_term(body, term: Term) -> QuerySet:
    """The published motions submitted within the term's dates, with their whole story."""
    decisions = Decision.objects.published().for_story().prefetch_related(*_decision_story())
    return (
        Motion.objects.published()
        .for_body(body)
        .filter(submitted_on__gte=term.starts_on, submitted_on__lte=term.ends_on)
        .select_related("document", "raised_at__organ")
        .prefetch_related(
            "clauses",
            Prefetch(
                "submitters", queryset=Submitter.objects.select_related("person", "party", "organ")
            ),
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related("organ", "response_document").order_by(
                    "sent_on", "id"
                ),
            ),
            Prefetch("proposals", queryset=CommitteeProposal.objects.published().for_story()),
            Prefetch("decisions", queryset=decisions),
        )
    )


def decisions_of_term(body, term: Term) -> QuerySet:
    """The published decisions of the term that answer no motion (a budget's assignments,
    say); decisions on motions travel with their motion."""
    return (
        Decision.objects.published()
        .for_body(body)
        .filter(motion__isnull=True, decided_on__gte=term.starts_on, decided_on__lte=term.ends_on)
        .for_story()
        .prefetch_related(*_decision_story())
    )


def _decision_story():
    followups = FollowUp.objects.published().order_by("period_end", "id")
    return (
        Prefetch("appeals", queryset=Appeal.objects.order_by("lodged_on", "id")),
        Prefetch(
            "commitments",
            queryset=Commitment.objects.published()
            .select_related("responsible_organ")
            .prefetch_related(Prefetch("followups", queryset=followups))
            .order_by("id"),
        ),
    )


def batches(queryset: QuerySet, *, size: int = BATCH_SIZE) -> Iterator[list]:
    """Every row of `queryset` by ascending id, `size` rows (and their prefetches) at a time:
    each batch seeks past the last id, so the thousandth batch costs what the first does."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if rows:
            yield rows
        if len(rows) < size:
            return
        last = rows[-1].pk


# --- one record as plain data: the JSON file is these dicts, the XML file mirrors them ---------


def motion_record(motion) -> tuple[dict, list[DocumentRef]]:
    """The motion's facts and the documents it brings into the package."""
    documents = []
    document = None
    if motion.document_id:
        ref = DocumentRef.of(motion.document)
        documents.append(ref)
        document = _document(ref, motion.document.title)
    referrals = []
    for referral in motion.referrals.all():
        response = None
        if referral.response_document_id:
            ref = DocumentRef.of(referral.response_document)
            documents.append(ref)
            response = _document(ref, referral.response_document.title)
        referrals.append(
            {
                "organ": referral.organ.name,
                "sent_on": _date(referral.sent_on),
                "due_on": _date(referral.due_on),
                "answered_on": _date(referral.answered_on),
                "response_summary": referral.response_summary,
                "response_document": response,
            }
        )
    decisions = []
    for decision in motion.decisions.all():
        record, refs = decision_record(decision)
        decisions.append(record)
        documents.extend(refs)
    record = {
        "id": motion.pk,
        "kind": motion.kind,
        "case_number": motion.case_number,
        "title": motion.title,
        "text": motion.text,
        "submitted_on": _date(motion.submitted_on),
        "raised_at": _meeting(motion.raised_at) if motion.raised_at_id else None,
        "status": motion.status,
        "result": motion.result,
        "decided_on": _date(motion.decided_on),
        "deadline_on": _date(motion.deadline_on),
        "document": document,
        "submitters": [_submitter(s) for s in motion.submitters.all()],
        "clauses": [
            {"number": number, "text": clause.text}
            for number, clause in enumerate(motion.clauses.all(), start=1)
        ],
        "referrals": referrals,
        "proposals": [_proposal(p) for p in motion.proposals.all()],
        "decisions": decisions,
    }
    return record, documents


def decision_record(decision) -> tuple[dict, list[DocumentRef]]:
    refs = [DocumentRef.of(d.document) for d in decision.documents.all()]
    record = {
        "id": decision.pk,
        "case_number": decision.case_number,
        "title": decision.title,
        "paragraph": decision.paragraph,
        "meeting": _meeting(decision.meeting),
        "decided_on": _date(decision.decided_on),
        "text": decision.text,
        "vote_method": decision.vote_method,
        "votes_for": decision.votes_for,
        "votes_against": decision.votes_against,
        "votes_abstaining": decision.votes_abstaining,
        "votes_absent": decision.votes_absent,
        "gives_assignment": decision.gives_assignment,
        "minutes_approved_on": _date(decision.minutes_approved_on),
        "notice_posted_on": _date(decision.notice_posted_on),
        "outcomes": [
            {"clause": o.clause_number, "outcome": o.outcome}
            for o in decision.clause_outcomes.all()
        ],
        "party_votes": [
            {
                "party": v.party.abbreviation,
                "votes_for": v.votes_for,
                "votes_against": v.votes_against,
                "votes_abstaining": v.votes_abstaining,
                "votes_absent": v.votes_absent,
            }
            for v in decision.party_votes.all()
        ],
        "statements": [_statement(s, s.kind) for s in decision.statements.all()],
        "dispatched_to": [organ.name for organ in decision.dispatched_to.all()],
        "documents": [
            _document(ref, d.title or d.document.title)
            for ref, d in zip(refs, decision.documents.all(), strict=True)
        ],
        "appeals": [
            {
                "court": a.court,
                "case_number": a.case_number,
                "lodged_on": _date(a.lodged_on),
                "result": a.result,
                "result_on": _date(a.result_on),
                "final_on": _date(a.final_on),
            }
            for a in decision.appeals.all()
        ],
        "commitments": [_commitment(c) for c in decision.commitments.all()],
    }
    return record, refs


def _proposal(proposal) -> dict:
    return {
        "organ": proposal.organ.name,
        "proposed_on": _date(proposal.proposed_on),
        "paragraph": proposal.paragraph,
        "text": proposal.text,
        "outcomes": [
            {"clause": o.clause_number, "outcome": o.outcome} for o in proposal.outcomes.all()
        ],
        "alternatives": [_statement(s, "alternative") for s in proposal.alternatives.all()],
        "reservations": [_statement(s, "reservation") for s in proposal.reservations.all()],
    }


def _commitment(commitment) -> dict:
    return {
        "id": commitment.pk,
        "title": commitment.title,
        "description": commitment.description,
        "clause": commitment.clause_number,
        "responsible_organ": commitment.responsible_organ.name,
        "target_year": commitment.target_year,
        "status": commitment.current_status,
        "reported_back_paragraph": commitment.reported_back_paragraph,
        "reported_back_on": _date(commitment.reported_back_on),
        "followups": [
            {
                "period_kind": f.period_kind,
                "period_end": _date(f.period_end),
                "status": f.status,
                "progress": f.progress,
                "narrative": f.narrative,
                "reason": f.reason,
                "source": f.source,
                "source_url": f.source_url,
                "verified_on": _date(f.verified_on),
            }
            for f in commitment.followups.all()
        ],
    }


def _submitter(submitter) -> dict:
    """The public name only: a resident's e-mail and phone never leave the system (GDPR)."""
    return {
        "name": Submitter.name_from(
            person=submitter.person.name if submitter.person_id else None,
            organ=submitter.organ.name if submitter.organ_id else None,
            resident=submitter.resident_name,
        ),
        "party": submitter.party.abbreviation if submitter.party_id else None,
    }


def _statement(statement, kind: str) -> dict:
    return {
        "kind": kind,
        "party": statement.party.abbreviation if statement.party_id else None,
        "person": statement.person.name if statement.person_id else None,
        "text": statement.text,
    }


def _meeting(meeting) -> dict:
    return {"organ": meeting.organ.name, "date": _date(meeting.date)}


def _document(ref: DocumentRef, title: str) -> dict:
    return {"title": title, "path": ref.path}


def _date(value) -> str | None:
    return value.isoformat() if value else None
