"""Writes to the council's record. Each is one transaction and leaves a revision or log entry.

Records are created as drafts (`live=False`) and published through Wagtail's
revisions, so the admin history shows who changed what, and when."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from subscriptions.services import event_record

from .deadlines import deadline_for
from .models import (
    AlternativeProposal,
    Clause,
    CommitteeProposal,
    Decision,
    DecisionClauseOutcome,
    DecisionStatement,
    Meeting,
    Motion,
    Organ,
    PartyVote,
    ProposalReservation,
    ProposedOutcome,
    Referral,
    Submitter,
)
from .rules import clause_coverage_errors, party_vote_errors
from .status import FINAL_STATUSES, derive_for

PUBLISH_STATE_FIELDS = [
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "live_revision",
    "latest_revision",
]


def _save_revision(obj, *, user, publish: bool):
    """Store the current state as a revision, and publish it if asked."""
    revision = obj.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
        # Wagtail publishes a copy built from the revision; without this the caller's
        # instance keeps live=False and its next save() would unpublish the record.
        obj.refresh_from_db(fields=PUBLISH_STATE_FIELDS)
    return revision


def motion_refresh_status(*, motion: Motion) -> Motion:
    """Recompute the stored status, result, decision date and one-year deadline from the record."""
    derived = derive_for(motion)
    deadline_on = deadline_for(
        anchor=motion.body.deadline_anchor,
        submitted_on=motion.submitted_on,
        raised_on=motion.raised_at.date if motion.raised_at_id else None,
    )
    Motion.objects.filter(pk=motion.pk).update(
        status=derived.status,
        result=derived.result,
        decided_on=derived.decided_on,
        deadline_on=deadline_on,
    )
    motion.status, motion.result, motion.decided_on = (
        derived.status,
        derived.result,
        derived.decided_on,
    )
    motion.deadline_on = deadline_on
    return motion


@transaction.atomic
def motion_create(
    *,
    body,
    case_number: str,
    title: str,
    submitted_on: date,
    clauses: list[str],
    submitters: list[dict],
    kind: str = "motion",
    text: str = "",
    raised_at: Meeting | None = None,
    topics=(),
    areas=(),
    user=None,
    publish: bool = False,
    **extra,
) -> Motion:
    """Register a motion with its clauses in order. `submitters` are dicts of Submitter fields."""
    if not clauses:
        raise ValidationError({"clauses": "A motion needs at least one clause."})
    motion = Motion(
        body=body,
        kind=kind,
        case_number=case_number,
        title=title,
        text=text,
        submitted_on=submitted_on,
        raised_at=raised_at,
        live=False,
        **extra,
    )
    motion.full_clean()
    motion.save()
    for number, clause_text in enumerate(clauses):
        motion.clauses.add(Clause(text=clause_text, sort_order=number))
    for number, fields in enumerate(submitters):
        submitter = Submitter(sort_order=number, **fields)
        submitter.clean()
        motion.submitters.add(submitter)
    motion.topics.set(topics)
    motion.areas.set(areas)
    motion.save()
    _save_revision(motion, user=user, publish=publish)
    return motion_refresh_status(motion=motion)


@transaction.atomic
def motion_publish(*, motion: Motion, user=None) -> Motion:
    _save_revision(motion, user=user, publish=True)
    return motion_refresh_status(motion=motion)


@transaction.atomic
def motion_refer(
    *, motion: Motion, organ: Organ, sent_on: date, due_on: date | None = None, user=None
) -> Referral:
    """Send the motion to an organ for its view (remiss)."""
    if organ.body_id != motion.body_id:
        raise ValidationError({"organ": "The organ belongs to another municipality."})
    if sent_on < motion.submitted_on:
        raise ValidationError({"sent_on": "A motion cannot be referred before it was submitted."})
    if motion.status in FINAL_STATUSES:
        raise ValidationError(
            _("A motion that is %(status)s cannot be referred.")
            % {"status": motion.get_status_display()}
        )
    referral = Referral(
        organ=organ, sent_on=sent_on, due_on=due_on, sort_order=motion.referrals.count()
    )
    referral.clean()
    motion.referrals.add(referral)
    motion.save()
    _save_revision(motion, user=user, publish=motion.live)
    motion_refresh_status(motion=motion)
    return referral


@transaction.atomic
def referral_answer(
    *, referral: Referral, answered_on: date, summary: str = "", document=None, user=None
) -> Referral:
    referral.answered_on = answered_on
    referral.response_summary = summary
    referral.response_document = document
    referral.full_clean(exclude=["motion"])
    referral.save()
    motion = Motion.objects.get(pk=referral.motion_id)
    _save_revision(motion, user=user, publish=motion.live)
    event_record(
        kind="referral_answered", source=referral
    )  # followers hear of it only if the motion is published
    return referral


def _check_outcomes(motion: Motion, outcomes: dict[int, str]):
    errors = clause_coverage_errors(
        clause_count=motion.clauses.count(), clause_numbers=list(outcomes)
    )
    if errors:
        raise ValidationError({"outcomes": errors})


@transaction.atomic
def proposal_create(
    *,
    motion: Motion,
    organ: Organ,
    proposed_on: date,
    outcomes: dict[int, str],
    text: str = "",
    paragraph: str = "",
    alternatives: list[dict] = (),
    reservations: list[dict] = (),
    user=None,
    publish: bool = True,
) -> CommitteeProposal:
    """Register the committee's proposal, with an outcome for every clause."""
    _check_outcomes(motion, outcomes)
    proposal = CommitteeProposal(
        motion=motion,
        organ=organ,
        proposed_on=proposed_on,
        text=text,
        paragraph=paragraph,
        live=False,
    )
    proposal.full_clean()
    proposal.save()
    _set_proposal_children(proposal, outcomes, alternatives, reservations)
    _save_revision(proposal, user=user, publish=publish)
    motion_refresh_status(motion=motion)
    return proposal


def _set_proposal_children(proposal, outcomes, alternatives=None, reservations=None, *, save=True):
    proposal.outcomes = [
        ProposedOutcome(clause_number=n, outcome=o, sort_order=i)
        for i, (n, o) in enumerate(sorted(outcomes.items()))
    ]
    if alternatives is not None:
        proposal.alternatives = [
            AlternativeProposal(sort_order=i, **a) for i, a in enumerate(alternatives)
        ]
    if reservations is not None:
        proposal.reservations = [
            ProposalReservation(sort_order=i, **r) for i, r in enumerate(reservations)
        ]
    if save:
        proposal.save()


@transaction.atomic
def proposal_revise(
    *,
    proposal: CommitteeProposal,
    outcomes: dict[int, str],
    text: str,
    user=None,
    publish: bool = True,
) -> CommitteeProposal:
    """Change a proposal before the council meets. The earlier version stays as a revision
    and is shown beside the new one on the public page (seed 001)."""
    _check_outcomes(proposal.motion, outcomes)
    proposal.text = text
    # A draft lives only in its revision: writing the rows would show it on the public page.
    _set_proposal_children(proposal, outcomes, save=publish)
    _save_revision(proposal, user=user, publish=publish)
    return proposal


@transaction.atomic
def decision_record(
    *,
    body,
    meeting: Meeting,
    paragraph: int,
    decided_on: date,
    title: str,
    motion: Motion | None = None,
    outcomes: dict[int, str] | None = None,
    text: str = "",
    case_number: str = "",
    vote_method: str = "acclamation",
    votes: tuple[int, int, int, int] | None = None,
    party_votes: list[dict] = (),
    statements: list[dict] = (),
    dispatched_to=(),
    minutes_approved_on: date | None = None,
    notice_posted_on: date | None = None,
    user=None,
    publish: bool = True,
) -> Decision:
    """Record a council decision (a § in the minutes). Refuses, changing nothing, when the
    clause outcomes do not cover the motion, the votes do not add up, or the § is taken."""
    decision = Decision(
        body=body,
        meeting=meeting,
        paragraph=paragraph,
        decided_on=decided_on,
        title=title,
        text=text,
        case_number=case_number or (motion.case_number if motion else ""),
        motion=motion,
        vote_method=vote_method,
        minutes_approved_on=minutes_approved_on,
        notice_posted_on=notice_posted_on,
        live=False,
    )
    if votes:
        (
            decision.votes_for,
            decision.votes_against,
            decision.votes_abstaining,
            decision.votes_absent,
        ) = votes
    decision.full_clean()
    if motion:
        _check_outcomes(motion, outcomes or {})
    vote_errors = party_vote_errors(decision, list(party_votes))
    if vote_errors:
        raise ValidationError({"party_votes": vote_errors})
    decision.save()
    decision.clause_outcomes = [
        DecisionClauseOutcome(clause_number=n, outcome=o, sort_order=i)
        for i, (n, o) in enumerate(sorted((outcomes or {}).items()))
    ]
    decision.party_votes = [PartyVote(sort_order=i, **v) for i, v in enumerate(party_votes)]
    decision.statements = [DecisionStatement(sort_order=i, **s) for i, s in enumerate(statements)]
    decision.dispatched_to.set(dispatched_to)
    decision.save()
    _save_revision(decision, user=user, publish=publish)
    if motion:
        motion_refresh_status(motion=motion)
    return decision
