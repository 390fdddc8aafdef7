"""Writes to the council's record: one service per domain action, and the only code that
writes referrals, proposals, decisions and lifecycle events.

Each service is keyword-only and one transaction. It locks the motion's row *before* it
checks its rules, so two submissions of the same form cannot both pass, and raises
ValidationError with a reason (changing nothing) when the action is not allowed. Otherwise it
writes its record, appends a MotionEvent, logs an entry in Wagtail's audit log (the admin
history) and recomputes the derived status through `motions.status`. Referrals, proposals,
decisions and events are records of their own: no service saves or publishes a revision of
the motion for them, so an editor's pending draft of the motion text is kept, and publishing
or restoring a motion revision never removes them (see `Motion.with_content_json`).

The admin's lifecycle buttons, its publish action (through `motions.signals`), the demo
loader and the tests all call these; nothing else sets a status or writes these records.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from . import notifications
from .deadlines import deadline_for, decision_legal_effect, report_clears_flag
from .models import (
    AlternativeProposal,
    Clause,
    CommitteeProposal,
    Decision,
    DecisionClauseOutcome,
    DecisionStatement,
    EventKind,
    Meeting,
    Motion,
    MotionEvent,
    MotionKind,
    MotionStatus,
    Organ,
    OrganKind,
    PartyVote,
    ProposalReservation,
    ProposedOutcome,
    Referral,
    Submitter,
    WriteOffGround,
)
from .queries import DecisionQuerySet
from .richtext import paragraphs
from .rules import clause_coverage_errors, council_meeting_error, party_vote_errors
from .status import UNDECIDED_STATUSES, derive_for
from .steps import refusal, situation_of
from .submission import cutoff_error, e_proposal_rules, submission_errors

PUBLISH_STATE_FIELDS = [
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "live_revision",
    "latest_revision",
]

# action name -> (label, history message); registered with the register_log_actions hook.
LOG_ACTIONS = {
    "motions.raise": (gettext_lazy("Raise"), gettext_lazy("Raised in the council")),
    "motions.refer": (gettext_lazy("Refer"), gettext_lazy("Referred")),
    "motions.register_response": (
        gettext_lazy("Register response"),
        gettext_lazy("Referral response registered"),
    ),
    "motions.register_proposal": (
        gettext_lazy("Register proposal"),
        gettext_lazy("Proposal registered"),
    ),
    "motions.schedule": (gettext_lazy("Schedule"), gettext_lazy("Scheduled")),
    "motions.table": (gettext_lazy("Table"), gettext_lazy("Tabled")),
    "motions.send_back": (
        gettext_lazy("Send back"),
        gettext_lazy("Sent back for more preparation"),
    ),
    "motions.hand_to_committee": (
        gettext_lazy("Hand to committee"),
        gettext_lazy("Handed to a committee to decide"),
    ),
    "motions.decide": (gettext_lazy("Register decision"), gettext_lazy("Decision registered")),
    "motions.report_undecided": (
        gettext_lazy("Report undecided"),
        gettext_lazy("Reported undecided (KL 5:35)"),
    ),
    "motions.write_off": (gettext_lazy("Write off"), gettext_lazy("Written off")),
    "motions.withdraw": (gettext_lazy("Withdraw"), gettext_lazy("Withdrawn by the submitter")),
    "motions.close": (gettext_lazy("Close"), gettext_lazy("Closed")),
    "motions.signatures": (
        gettext_lazy("Register signatures"),
        gettext_lazy("Signatures registered"),
    ),
    "motions.threshold_reached": (
        gettext_lazy("Threshold reached"),
        gettext_lazy("Signature threshold reached; handed to the organ"),
    ),
    "motions.lapse": (gettext_lazy("Lapse"), gettext_lazy("Lapsed with too few signatures")),
}


# --- plumbing ------------------------------------------------------------------------


def _save_revision(obj, *, user, publish: bool):
    """Store the current state as a revision, and publish it if asked."""
    revision = obj.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
        # Wagtail publishes a copy built from the revision; without this the caller's
        # instance keeps live=False and its next save() would unpublish the record.
        obj.refresh_from_db(fields=PUBLISH_STATE_FIELDS)
    return revision


def _locked(motion: Motion) -> Motion:
    """Re-read the motion under a row lock, before any rule is checked, so two clicks
    cannot both pass the same check."""
    return (
        Motion.objects.select_for_update(of=("self",))
        .select_related("body", "raised_at")
        .get(pk=motion.pk)
    )


def _refuse(message: str):
    raise ValidationError(message)


def _check_request(request_key: str | None):
    """A form submitted twice (double click, retried POST) carries the same key."""
    if request_key and MotionEvent.objects.filter(request_key=request_key).exists():
        _refuse(_("This was already registered; nothing was changed."))


def _check_undecided(motion: Motion, action: str):
    if motion.status not in UNDECIDED_STATUSES:
        _refuse(
            _("A motion that is %(status)s cannot be %(action)s.")
            % {"status": motion.get_status_display(), "action": action}
        )


def _check_step(motion: Motion, step: str):
    """The lifecycle tab's rule (`motions.steps`): a step it does not offer is refused here too."""
    if reason := refusal(situation_of(motion), step):
        _refuse(reason)


def _check_date(motion: Motion, day: date, what: str):
    if day is None:
        _refuse(_("Give the date."))
    if day < motion.submitted_on:
        _refuse(
            _("%(what)s cannot be dated before the motion was submitted (%(date)s).")
            % {"what": what, "date": motion.submitted_on.isoformat()}
        )


def _check_meeting(motion: Motion, meeting: Meeting | None):
    if meeting is None:
        _refuse(_("Choose the meeting."))
    if meeting.organ.body_id != motion.body_id:
        _refuse(_("The meeting belongs to another municipality."))


def _check_organ(motion: Motion, organ: Organ | None):
    if organ is None or organ.body_id != motion.body_id:
        _refuse(_("The organ belongs to another municipality."))


def _check_outcomes(motion: Motion, outcomes: dict[int, str]):
    errors = clause_coverage_errors(
        clause_count=motion.clauses.count(), clause_numbers=list(outcomes)
    )
    if errors:
        raise ValidationError({"outcomes": errors})


def _record(
    motion: Motion,
    *,
    kind: str,
    action: str,
    happened_on: date,
    user=None,
    request_key: str | None = None,
    refresh: bool = True,
    **fields,
) -> MotionEvent:
    """Append the event, log it in the admin history and recompute the derived status (unless
    `refresh` is False: the caller recomputes it right after, once)."""
    event = MotionEvent.objects.create(
        motion=motion,
        kind=kind,
        happened_on=happened_on,
        user=user,
        request_key=request_key or None,
        **fields,
    )
    data = {"date": happened_on.isoformat(), "reason": fields.get("reason", "")}
    if fields.get("legal_ground"):
        data["legal_ground"] = fields["legal_ground"]
    log(instance=motion, action=action, user=user, data=data)
    if refresh:
        motion_refresh_status(motion=motion)
    return event


def motion_refresh_status(*, motion: Motion) -> Motion:
    """Recompute the stored status, result, decision date and one-year deadline from the record."""
    derived = derive_for(motion)
    deadline_on = None
    # Motions always; citizen proposals and e-proposals where the municipality's rules say so.
    if motion.body.one_year_rule_applies(motion.kind):
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


# --- the motion document ---------------------------------------------------------------


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
    """Register a motion with its clauses in order. `submitters` are dicts of Submitter fields.
    Refused under the municipality's rules (`motions.submission`): a submitter without the
    right to lodge a motion, a citizen proposal where none are taken, a raising meeting inside
    the cut-off. An e-proposal is stored with the Body's threshold and window unless given."""
    if not clauses:
        raise ValidationError({"clauses": "A motion needs at least one clause."})
    errors = submission_errors(
        body=body,
        kind=kind,
        term=extra.get("term"),
        submitted_on=submitted_on,
        submitters=submitters,
    )
    if errors:
        raise ValidationError({"submitters": errors})
    if kind == MotionKind.E_PROPOSAL:
        threshold, window, error = e_proposal_rules(
            body=body,
            threshold=extra.pop("signature_threshold", None),
            window_days=extra.pop("signature_window_days", None),
        )
        if error:
            _refuse(error)
        extra.update(signature_threshold=threshold, signature_window_days=window)
    if raised_at is not None and (
        error := cutoff_error(body=body, submitted_on=submitted_on, meeting=raised_at)
    ):
        raise ValidationError({"raised_at": error})
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
    # The children are set in memory and written with the motion by its one save().
    motion.clauses = [Clause(text=text, sort_order=n) for n, text in enumerate(clauses)]
    motion.submitters = [Submitter(sort_order=n, **fields) for n, fields in enumerate(submitters)]
    for submitter in motion.submitters.all():
        submitter.clean()
    motion.topics.set(topics)
    motion.areas.set(areas)
    motion.save()
    _save_revision(motion, user=user, publish=publish)
    if publish:
        return _derived_after_publish(motion)
    return motion_refresh_status(motion=motion)


@transaction.atomic
def motion_publish(*, motion: Motion, user=None) -> Motion:
    """Publish the motion document as it stands (its clauses, submitters and text), if its
    submitters still have the right to lodge it under the municipality's rules."""
    errors = submission_errors(
        body=motion.body,
        kind=motion.kind,
        term=motion.term,
        submitted_on=motion.submitted_on,
        submitters=[
            {"person": s.person, "serving_at": s.serving_at} for s in motion.submitters.all()
        ],
    )
    if errors:
        raise ValidationError({"submitters": errors})
    _save_revision(motion, user=user, publish=True)
    return _derived_after_publish(motion)


def _derived_after_publish(motion: Motion) -> Motion:
    """The publish signal recomputed the derived fields (`motion_published`): read them back
    into the caller's instance instead of deriving them twice."""
    motion.refresh_from_db(fields=["status", "result", "decided_on", "deadline_on"])
    return motion


def motion_published(*, motion: Motion) -> Motion:
    """After the admin saved, published or unpublished the motion: only the derived fields
    change; the lifecycle's own fields were kept by `Motion.with_content_json`."""
    return motion_refresh_status(motion=Motion.objects.select_related("body").get(pk=motion.pk))


# --- preparation -----------------------------------------------------------------------


@transaction.atomic
def motion_raise(
    *, motion: Motion, meeting: Meeting, user=None, reason: str = "", request_key=None
) -> Motion:
    """Announce the motion at a council meeting (väckt). Restarts nothing once set."""
    motion = _locked(motion)
    _check_request(request_key)
    _check_step(motion, "raise")
    _check_meeting(motion, meeting)
    if error := council_meeting_error(motion=motion, meeting=meeting, raising=True):
        _refuse(error)
    _check_date(motion, meeting.date, _("Raising"))
    if error := cutoff_error(body=motion.body, submitted_on=motion.submitted_on, meeting=meeting):
        _refuse(error)
    motion.raised_at = meeting
    Motion.objects.filter(pk=motion.pk).update(raised_at=meeting)
    _record(
        motion,
        kind=EventKind.RAISED,
        action="motions.raise",
        happened_on=meeting.date,
        meeting=meeting,
        user=user,
        reason=reason,
        request_key=request_key,
    )
    return motion


@transaction.atomic
def motion_refer(
    *,
    motion: Motion,
    organ: Organ,
    sent_on: date,
    due_on: date | None = None,
    user=None,
    reason: str = "",
    request_key=None,
) -> Referral:
    """Send the motion to an organ for its view (remiss). A decided motion cannot be referred."""
    motion = _locked(motion)
    _check_request(request_key)
    _check_step(motion, "refer")
    _check_organ(motion, organ)
    _check_date(motion, sent_on, _("A referral"))
    if due_on and due_on < sent_on:
        _refuse(_("The response cannot be due before the referral was sent."))
    referral = Referral.objects.create(
        motion=motion,
        organ=organ,
        sent_on=sent_on,
        due_on=due_on,
        sort_order=Referral.objects.filter(motion=motion).count(),
    )
    _record(
        motion,
        kind=EventKind.REFERRED,
        action="motions.refer",
        happened_on=sent_on,
        organ=organ,
        referral=referral,
        user=user,
        reason=reason,
        request_key=request_key,
    )
    return referral


@transaction.atomic
def referral_register_response(
    *,
    referral: Referral,
    answered_on: date,
    summary: str = "",
    document=None,
    user=None,
    request_key=None,
) -> Referral:
    """Register the organ's answer to a referral (remissvar). Followers hear of it."""
    motion = _locked(referral.motion)
    _check_request(request_key)
    # Read again under the motion's lock: a second click must see the first one's answer.
    referral = Referral.objects.select_related("organ").get(pk=referral.pk)
    if referral.answered_on:
        _refuse(
            _("This referral was already answered on %(date)s.")
            % {"date": referral.answered_on.isoformat()}
        )
    _check_step(motion, "response")
    if answered_on is None or answered_on < referral.sent_on:
        _refuse(
            _("A referral cannot be answered before it was sent (%(date)s).")
            % {"date": referral.sent_on}
        )
    referral.answered_on = answered_on
    referral.response_summary = summary
    referral.response_document = document
    referral.save(update_fields=["answered_on", "response_summary", "response_document"])
    _record(
        motion,
        kind=EventKind.RESPONSE_REGISTERED,
        action="motions.register_response",
        happened_on=answered_on,
        organ=referral.organ,
        referral=referral,
        user=user,
        reason=summary[:200],
        request_key=request_key,
    )
    notifications.referral_answered(referral)
    return referral


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
def proposal_register(
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
    request_key=None,
) -> CommitteeProposal:
    """Register the preparing organ's proposal to the council (förslag till beslut), with an
    outcome for every clause. A draft proposal gets its event when it is published."""
    motion = _locked(motion)
    _check_request(request_key)
    _check_step(motion, "proposal")
    _check_organ(motion, organ)
    _check_date(motion, proposed_on, _("A proposal"))
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
    if publish:
        _record_proposal(proposal, motion=motion, user=user, request_key=request_key)
    _save_revision(proposal, user=user, publish=publish)
    return proposal


def _record_proposal(proposal, *, motion, user=None, request_key=None):
    if MotionEvent.objects.filter(kind=EventKind.PROPOSAL_REGISTERED, proposal=proposal).exists():
        return
    # Only a published proposal counts for the status: `proposal_published` derives it after.
    _record(
        motion,
        refresh=False,
        kind=EventKind.PROPOSAL_REGISTERED,
        action="motions.register_proposal",
        happened_on=proposal.proposed_on,
        organ=proposal.organ,
        proposal=proposal,
        paragraph=proposal.paragraph,
        user=user,
        request_key=request_key,
    )


@transaction.atomic
def proposal_revise(
    *,
    proposal: CommitteeProposal,
    outcomes: dict[int, str],
    text: str,
    proposed_on: date | None = None,
    paragraph: str | None = None,
    user=None,
    publish: bool = True,
) -> CommitteeProposal:
    """Change a proposal before the council meets. The earlier version stays as a revision
    and is shown beside the new one on the public page (seed 001), dated by `proposed_on`:
    the day the committee decided the new version (unchanged when not given)."""
    _locked(proposal.motion)
    _check_outcomes(proposal.motion, outcomes)
    proposal.text = text
    if proposed_on is not None:
        proposal.proposed_on = proposed_on
    if paragraph is not None:
        proposal.paragraph = paragraph
    proposal.full_clean()
    # A draft lives only in its revision: writing the rows would show it on the public page.
    _set_proposal_children(proposal, outcomes, save=publish)
    _save_revision(proposal, user=user, publish=publish)
    return proposal


@transaction.atomic
def proposal_published(*, proposal: CommitteeProposal, user=None) -> None:
    """After a proposal revision was published or unpublished (by a service or the admin): the
    motion's log gets its one "proposal registered" event, its status follows, and followers
    hear of the proposal (or of its revision)."""
    motion = _locked(proposal.motion)
    if proposal.live:
        _record_proposal(proposal, motion=motion, user=user)
    motion_refresh_status(motion=motion)
    if proposal.live:
        notifications.proposal_published(proposal)


# --- the council's meeting -------------------------------------------------------------


@transaction.atomic
def meeting_create(*, organ: Organ, day: date, title: str = "", user=None) -> Meeting:
    """A meeting the secretariat registers while taking a step (e.g. the council meeting that
    decided). An organ meets once a day: the meeting already on record that day is returned."""
    meeting = Meeting.objects.filter(organ=organ, date=day).first()
    if meeting is None:
        meeting = Meeting(organ=organ, date=day, title=title)
        meeting.full_clean()
        meeting.save()
        log(instance=meeting, action="wagtail.create", user=user)
    return meeting


@transaction.atomic
def motion_schedule(
    *, motion: Motion, meeting: Meeting, user=None, reason: str = "", request_key=None
) -> Motion:
    """Put the motion on a meeting's agenda. It needs a proposal, unless a committee decides it."""
    motion = _locked(motion)
    _check_request(request_key)
    _check_step(motion, "schedule")
    _check_meeting(motion, meeting)
    _check_date(motion, meeting.date, _("A meeting"))
    _record(
        motion,
        kind=EventKind.SCHEDULED,
        action="motions.schedule",
        happened_on=meeting.date,
        meeting=meeting,
        user=user,
        reason=reason,
        request_key=request_key,
    )
    return motion


@transaction.atomic
def motion_table(
    *, motion: Motion, meeting: Meeting, user=None, reason: str = "", request_key=None
) -> Motion:
    """Bordläggning: the meeting defers the matter to a later meeting."""
    motion = _locked(motion)
    _check_request(request_key)
    _check_step(motion, "table")
    _check_meeting(motion, meeting)
    _check_date(motion, meeting.date, _("Tabling"))
    _record(
        motion,
        kind=EventKind.TABLED,
        action="motions.table",
        happened_on=meeting.date,
        meeting=meeting,
        user=user,
        reason=reason,
        request_key=request_key,
    )
    return motion


@transaction.atomic
def motion_send_back(
    *, motion: Motion, meeting: Meeting, reason: str, user=None, request_key=None
) -> Motion:
    """Återremiss: back to preparation. The one-year clock keeps running from the same start."""
    motion = _locked(motion)
    _check_request(request_key)
    _check_step(motion, "send-back")
    _check_meeting(motion, meeting)
    if not reason.strip():
        _refuse(_("Say why the motion is sent back; the minutes must record it."))
    _check_date(motion, meeting.date, _("Sending back"))
    _record(
        motion,
        kind=EventKind.SENT_BACK,
        action="motions.send_back",
        happened_on=meeting.date,
        meeting=meeting,
        user=user,
        reason=reason,
        request_key=request_key,
    )
    return motion


@transaction.atomic
def motion_hand_to_committee(
    *,
    motion: Motion,
    meeting: Meeting,
    organ: Organ,
    user=None,
    reason: str = "",
    request_key=None,
) -> Motion:
    """The council hands a citizen proposal to a committee, which then decides it (prop. 2006/07:24)."""
    motion = _locked(motion)
    _check_request(request_key)
    _check_step(motion, "hand-over")
    _check_meeting(motion, meeting)
    if organ.body_id != motion.body_id or organ.kind == OrganKind.COUNCIL:
        _refuse(_("Choose a committee of the same municipality."))
    _check_date(motion, meeting.date, _("Handing over"))
    _record(
        motion,
        kind=EventKind.HANDED_TO_COMMITTEE,
        action="motions.hand_to_committee",
        happened_on=meeting.date,
        meeting=meeting,
        organ=organ,
        user=user,
        reason=reason,
        request_key=request_key,
    )
    return motion


# --- decisions -------------------------------------------------------------------------


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
    gives_assignment: bool = False,
    user=None,
    publish: bool = True,
    request_key=None,
) -> Decision:
    """Record a decision (a § in the minutes), answering a motion or not. Refuses, changing
    nothing, when the motion is no longer undecided, the clause outcomes do not cover it, the
    votes do not add up, or the § is taken. A draft decision gets its event when published."""
    if motion is not None:
        motion = _locked(motion)
        _check_request(request_key)
        _check_undecided(motion, _("decided"))
        _check_meeting(motion, meeting)
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
        gives_assignment=gives_assignment,
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
    if motion and publish:
        _record_decision(decision, motion=motion, user=user, request_key=request_key)
    _save_revision(decision, user=user, publish=publish)
    return decision


def _record_decision(decision, *, motion, user=None, request_key=None):
    if MotionEvent.objects.filter(
        kind=EventKind.DECIDED, decision=decision, motion=motion
    ).exists():
        return
    # Only a published decision counts for the status: `decision_published` derives it after.
    _record(
        motion,
        refresh=False,
        kind=EventKind.DECIDED,
        action="motions.decide",
        happened_on=decision.decided_on,
        meeting=decision.meeting,
        decision=decision,
        paragraph=str(decision.paragraph),
        user=user,
        request_key=request_key,
    )


@transaction.atomic
def motion_decide(
    *,
    motion: Motion,
    meeting: Meeting,
    paragraph: int,
    decided_on: date | None,
    outcomes: dict[int, str],
    title: str = "",
    user=None,
    **decision_fields,
) -> Decision:
    """Register the council's decision on a motion, with an outcome for every clause: the
    lifecycle step, so only a motion raised in the council (or handed to a committee) and
    not yet decided, withdrawn or written off (`motions.steps`). `decided_on` empty means
    the meeting's date. `decision_record` alone records a decision without these rules."""
    locked = _locked(motion)
    _check_request(decision_fields.get("request_key"))
    _check_step(locked, "decide")
    return decision_record(
        body=motion.body,
        meeting=meeting,
        paragraph=paragraph,
        decided_on=decided_on or meeting.date,
        title=title or motion.title,
        motion=motion,
        outcomes=outcomes,
        user=user,
        **decision_fields,
    )


@transaction.atomic
def decision_published(*, decision: Decision, user=None) -> None:
    """After a decision revision was published or unpublished (by a service or the admin):
    the motion it answers gets its one "decided" event, its status follows, and followers
    hear of the decision."""
    if decision.motion_id:
        motion = _locked(decision.motion)
        if decision.live:
            _record_decision(decision, motion=motion, user=user)
        motion_refresh_status(motion=motion)
    if decision.live:
        notifications.decision_published(decision)


# --- ending a motion's handling --------------------------------------------------------
def _check_write_off_ground(motion: Motion, *, legal_ground: str, reason: str):
    if legal_ground not in WriteOffGround.values:
        _refuse(_("Choose the legal ground for the write-off."))
    if legal_ground == WriteOffGround.REPORTED_UNDECIDED and not report_clears_flag(
        reported_on=motion.reported_undecided_on, deadline_on=motion.deadline_on
    ):
        _refuse(
            _(
                "%(case)s has not been reported undecided to the council after its one-year deadline, so it "
                "cannot be written off under KL 5 kap. 35 §. Report it first or record another legal ground."
            )
            % {"case": motion.case_number}
        )
    if legal_ground == WriteOffGround.WITHDRAWN and motion.status != MotionStatus.WITHDRAWN:
        _refuse(
            _("%(case)s has not been withdrawn by its submitter.") % {"case": motion.case_number}
        )
    if legal_ground == WriteOffGround.OTHER and not reason.strip():
        _refuse(_("Describe the legal ground in the reason."))


@transaction.atomic
def motion_write_off(
    *,
    motion: Motion,
    written_off_on: date,
    legal_ground: str,
    reason: str = "",
    meeting: Meeting | None = None,
    decision: Decision | None = None,
    paragraph: str = "",
    submitter_consent: bool | None = None,
    user=None,
    request_key=None,
) -> MotionEvent:
    """Avskrivning from further handling. Under KL 5:35 only after the motion was reported undecided."""
    motion = _locked(motion)
    _check_request(request_key)
    _check_step(motion, "write-off")
    _check_write_off_ground(motion, legal_ground=legal_ground, reason=reason)
    _check_date(motion, written_off_on, _("A write-off"))
    if meeting is not None:
        _check_meeting(motion, meeting)
    return _record(
        motion,
        kind=EventKind.WRITTEN_OFF,
        action="motions.write_off",
        happened_on=written_off_on,
        meeting=meeting,
        decision=decision,
        paragraph=paragraph,
        legal_ground=legal_ground,
        submitter_consent=submitter_consent,
        user=user,
        reason=reason,
        request_key=request_key,
    )


@transaction.atomic
def motion_withdraw(
    *, motion: Motion, withdrawn_on: date, reason: str = "", user=None, request_key=None
) -> Motion:
    """The submitter takes the motion back. A withdrawn motion cannot be decided."""
    motion = _locked(motion)
    _check_request(request_key)
    _check_step(motion, "withdraw")
    _check_date(motion, withdrawn_on, _("A withdrawal"))
    _record(
        motion,
        kind=EventKind.WITHDRAWN,
        action="motions.withdraw",
        happened_on=withdrawn_on,
        user=user,
        reason=reason,
        request_key=request_key,
    )
    return motion


@transaction.atomic
def motion_close(
    *, motion: Motion, closed_on: date, user=None, reason: str = "", request_key=None
) -> Motion:
    """Close a decided motion once its decision has legal force; a written-off or withdrawn one at once."""
    motion = _locked(motion)
    _check_request(request_key)
    _check_step(motion, "close")
    if motion.status == MotionStatus.DECIDED:
        decision = (
            motion.decisions.published().select_related("meeting").order_by("-decided_on").first()
        )
        effect = decision_legal_effect(decision, today=closed_on)
        if effect.annulled:
            _refuse(_("The court annulled the decision; it never gains legal force."))
        if effect.appeal_pending:
            _refuse(
                _(
                    "The decision has been appealed: it has legal force only once the court's "
                    "judgment is final (laga kraft). Give that date on the appeal."
                )
            )
        if not effect.has_legal_force:
            _refuse(
                _("The decision has no legal force yet; it can be appealed until %(date)s.")
                % {
                    "date": effect.appeal_until.isoformat()
                    if effect.appeal_until
                    else _("the notice is posted")
                }
            )
    _record(
        motion,
        kind=EventKind.CLOSED,
        action="motions.close",
        happened_on=closed_on,
        user=user,
        reason=reason,
        request_key=request_key,
    )
    return motion


@transaction.atomic
def motions_write_off_bulk(
    *,
    body,
    motions,
    meeting: Meeting,
    paragraph: int,
    decided_on: date,
    title: str,
    legal_ground: str,
    reason: str = "",
    consents: dict[int, bool] | None = None,
    user=None,
) -> Decision:
    """One council decision writing off many motions (e.g. at the end of a term). Every motion is
    checked first; if any is refused, nothing is written and the message names it. `reason` is
    plain text; it becomes the decision's text as paragraphs."""
    motions = list(
        Motion.objects.select_for_update().filter(pk__in=[m.pk for m in motions]).order_by("pk")
    )
    if not motions:
        _refuse(_("Select at least one motion to write off."))
    consents = consents or {}
    for motion in motions:
        if motion.body_id != body.pk:
            _refuse(_("%(case)s belongs to another municipality.") % {"case": motion.case_number})
        if motion.status not in UNDECIDED_STATUSES and motion.status != MotionStatus.WITHDRAWN:
            _refuse(
                _("%(case)s is %(status)s and cannot be written off.")
                % {"case": motion.case_number, "status": motion.get_status_display()}
            )
        _check_write_off_ground(motion, legal_ground=legal_ground, reason=reason)
        _check_date(
            motion, decided_on, _("The write-off of %(case)s") % {"case": motion.case_number}
        )
    decision = decision_record(
        body=body,
        meeting=meeting,
        paragraph=paragraph,
        decided_on=decided_on,
        title=title,
        text=paragraphs(reason),
        user=user,
    )
    for motion in motions:
        motion_write_off(
            motion=motion,
            written_off_on=decided_on,
            legal_ground=legal_ground,
            reason=reason,
            meeting=meeting,
            decision=decision,
            paragraph=str(paragraph),
            submitter_consent=consents.get(motion.pk),
            user=user,
        )
    return decision


def motions_close_with_legal_force(*, today: date) -> list[Motion]:
    """Close every decided motion whose decision has gained legal force (daily, from beat).
    Motions whose decision is still open to appeal, appealed with no final judgment yet
    (`Appeal.final_on`), or annulled by the court are left as they are."""
    candidates = Motion.objects.filter(
        DecisionQuerySet.public_rule("decisions__"),
        status=MotionStatus.DECIDED,
        decisions__notice_posted_on__lte=today - timedelta(weeks=3),
    ).distinct()
    closed = []
    for motion in candidates:
        try:
            closed.append(
                motion_close(
                    motion=motion, closed_on=today, reason=_("The decision has legal force.")
                )
            )
        except ValidationError:
            continue
    return closed


# --- e-proposals: signatures in a window -----------------------------------------------


@transaction.atomic
def e_proposal_register_signatures(
    *,
    motion: Motion,
    count: int,
    counted_on: date,
    organ: Organ | None = None,
    user=None,
    request_key=None,
) -> Motion:
    """Register an e-proposal's signature count on a day inside its window. At its stored
    threshold it is recorded as reached that day and handed to `organ`, by default the organ
    the municipality's rules name (`Body.proposal_organ`)."""
    motion = _locked(motion)
    _check_request(request_key)
    _check_step(motion, "signatures")
    if count is None or count < 0:
        _refuse(_("Give the number of signatures."))
    _check_date(motion, counted_on, _("A signature count"))
    closes_on = motion.signatures_close_on
    if closes_on and counted_on > closes_on:
        _refuse(
            _("The signature window closed on %(date)s; a later count does not count.")
            % {"date": closes_on.isoformat()}
        )
    reached = motion.signature_threshold is not None and count >= motion.signature_threshold
    organ = organ or motion.body.proposal_organ
    if reached:
        _check_organ(motion, organ)
    motion.signature_count = count
    Motion.objects.filter(pk=motion.pk).update(signature_count=count)
    log(
        instance=motion,
        action="motions.signatures",
        user=user,
        data={"date": counted_on.isoformat(), "count": count},
    )
    if reached:
        _record(
            motion,
            kind=EventKind.THRESHOLD_REACHED,
            action="motions.threshold_reached",
            happened_on=counted_on,
            organ=organ,
            user=user,
            request_key=request_key,
        )
    return motion


@transaction.atomic
def e_proposal_lapse(*, motion: Motion, today: date, user=None) -> MotionEvent | None:
    """End an e-proposal whose window has closed below its threshold: a final state, dated the
    window's last day. Nothing happens (None) to one still open, reached or already ended."""
    motion = _locked(motion)
    closes_on = motion.signatures_close_on
    if motion.status != MotionStatus.COLLECTING or closes_on is None or today <= closes_on:
        return None
    return _record(
        motion,
        kind=EventKind.LAPSED,
        action="motions.lapse",
        happened_on=closes_on,
        user=user,
    )


def e_proposals_close_lapsed(*, today: date) -> list[MotionEvent]:
    """Lapse every e-proposal whose window ended before `today` (daily, from beat). Running it
    twice changes nothing the second time."""
    candidates = Motion.objects.filter(
        kind=MotionKind.E_PROPOSAL,
        status=MotionStatus.COLLECTING,
        submitted_on__lt=today,
        signature_window_days__isnull=False,
    ).only("pk")
    return [
        event
        for motion in candidates
        if (event := e_proposal_lapse(motion=motion, today=today)) is not None
    ]
