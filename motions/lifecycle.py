"""Lifecycle transitions of a motion: the only code that moves a motion from step to step.

Each service is keyword-only and one transaction. It checks its rules first and raises
ValidationError with a reason (changing nothing) when the transition is not allowed; otherwise
it appends a MotionEvent, writes an entry in Wagtail's audit log (the admin history) and
recomputes the derived status through `motions.status`. The admin actions, the demo loader and
the tests call these; no view sets a status field.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from . import services
from .models import (
    CommitteeProposal,
    Decision,
    EventKind,
    Meeting,
    Motion,
    MotionEvent,
    MotionKind,
    MotionStatus,
    Organ,
    OrganKind,
    Referral,
    WriteOffGround,
)

UNDECIDED = frozenset(
    {
        MotionStatus.SUBMITTED,
        MotionStatus.RAISED,
        MotionStatus.IN_PREPARATION,
        MotionStatus.PROPOSAL_READY,
        MotionStatus.SCHEDULED,
        MotionStatus.TABLED,
        MotionStatus.SENT_BACK,
    }
)

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
}


def _locked(motion: Motion) -> Motion:
    """Re-read the motion under a row lock so two clicks cannot both pass the same check."""
    return (
        Motion.objects.select_for_update(of=("self",))
        .select_related("body", "raised_at")
        .get(pk=motion.pk)
    )


def _refuse(message: str):
    raise ValidationError(message)


def _check_undecided(motion: Motion, action: str):
    if motion.status not in UNDECIDED:
        _refuse(
            _("A motion that is %(status)s cannot be %(action)s.")
            % {"status": motion.get_status_display(), "action": action}
        )


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


def _record(
    motion: Motion, *, kind: str, action: str, happened_on: date, user=None, **fields
) -> MotionEvent:
    event = MotionEvent.objects.create(
        motion=motion, kind=kind, happened_on=happened_on, user=user, **fields
    )
    data = {"date": happened_on.isoformat(), "reason": fields.get("reason", "")}
    if fields.get("legal_ground"):
        data["legal_ground"] = fields["legal_ground"]
    log(instance=motion, action=action, user=user, data=data)
    services.motion_refresh_status(motion=motion)
    return event


@transaction.atomic
def motion_raise(*, motion: Motion, meeting: Meeting, user=None, reason: str = "") -> Motion:
    """Announce the motion at a council meeting (väckt). Restarts nothing once set."""
    motion = _locked(motion)
    _check_undecided(motion, _("raised"))
    _check_meeting(motion, meeting)
    if motion.raised_at_id:
        _refuse(
            _("The motion was already raised on %(date)s.")
            % {"date": motion.raised_at.date.isoformat()}
        )
    _check_date(motion, meeting.date, _("Raising"))
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
) -> Referral:
    """Send the motion to an organ for its view (remiss). A decided motion cannot be referred."""
    motion = _locked(motion)
    _check_undecided(motion, _("referred"))
    _check_date(motion, sent_on, _("A referral"))
    if due_on and due_on < sent_on:
        _refuse(_("The response cannot be due before the referral was sent."))
    referral = services.motion_refer(
        motion=motion, organ=organ, sent_on=sent_on, due_on=due_on, user=user
    )
    _record(
        motion,
        kind=EventKind.REFERRED,
        action="motions.refer",
        happened_on=sent_on,
        organ=organ,
        user=user,
        reason=reason,
    )
    return referral


@transaction.atomic
def referral_register_response(
    *, referral: Referral, answered_on: date, summary: str = "", document=None, user=None
) -> Referral:
    motion = _locked(referral.motion)
    if referral.answered_on:
        _refuse(
            _("This referral was already answered on %(date)s.")
            % {"date": referral.answered_on.isoformat()}
        )
    if answered_on is None or answered_on < referral.sent_on:
        _refuse(
            _("A referral cannot be answered before it was sent (%(date)s).")
            % {"date": referral.sent_on}
        )
    services.referral_answer(
        referral=referral, answered_on=answered_on, summary=summary, document=document, user=user
    )
    _record(
        motion,
        kind=EventKind.RESPONSE_REGISTERED,
        action="motions.register_response",
        happened_on=answered_on,
        organ=referral.organ,
        user=user,
        reason=summary[:200],
    )
    return referral


@transaction.atomic
def proposal_register(
    *,
    motion: Motion,
    organ: Organ,
    proposed_on: date,
    outcomes: dict[int, str],
    text: str = "",
    paragraph: str = "",
    user=None,
) -> CommitteeProposal:
    """Register the preparing organ's proposal to the council (förslag till beslut)."""
    motion = _locked(motion)
    _check_undecided(motion, _("given a proposal"))
    _check_date(motion, proposed_on, _("A proposal"))
    proposal = services.proposal_create(
        motion=motion,
        organ=organ,
        proposed_on=proposed_on,
        outcomes=outcomes,
        text=text,
        paragraph=paragraph,
        user=user,
        publish=True,
    )
    _record(
        motion,
        kind=EventKind.PROPOSAL_REGISTERED,
        action="motions.register_proposal",
        happened_on=proposed_on,
        organ=organ,
        paragraph=paragraph,
        user=user,
    )
    return proposal


def _handed_to_committee(motion: Motion) -> bool:
    return motion.events.filter(kind=EventKind.HANDED_TO_COMMITTEE).exists()


@transaction.atomic
def motion_schedule(*, motion: Motion, meeting: Meeting, user=None, reason: str = "") -> Motion:
    """Put the motion on a meeting's agenda. It needs a proposal, unless a committee decides it."""
    motion = _locked(motion)
    _check_undecided(motion, _("scheduled"))
    _check_meeting(motion, meeting)
    _check_date(motion, meeting.date, _("A meeting"))
    ready = {MotionStatus.PROPOSAL_READY, MotionStatus.TABLED, MotionStatus.SCHEDULED}
    if motion.status not in ready and not _handed_to_committee(motion):
        _refuse(_("Register the committee's proposal before scheduling the motion."))
    _record(
        motion,
        kind=EventKind.SCHEDULED,
        action="motions.schedule",
        happened_on=meeting.date,
        meeting=meeting,
        user=user,
        reason=reason,
    )
    return motion


@transaction.atomic
def motion_table(*, motion: Motion, meeting: Meeting, user=None, reason: str = "") -> Motion:
    """Bordläggning: the meeting defers the matter to a later meeting."""
    motion = _locked(motion)
    _check_meeting(motion, meeting)
    if motion.status not in {MotionStatus.SCHEDULED, MotionStatus.TABLED}:
        _refuse(_("Only a motion on a meeting's agenda can be tabled; schedule it first."))
    _check_date(motion, meeting.date, _("Tabling"))
    _record(
        motion,
        kind=EventKind.TABLED,
        action="motions.table",
        happened_on=meeting.date,
        meeting=meeting,
        user=user,
        reason=reason,
    )
    return motion


@transaction.atomic
def motion_send_back(*, motion: Motion, meeting: Meeting, reason: str, user=None) -> Motion:
    """Återremiss: back to preparation. The one-year clock keeps running from the same start."""
    motion = _locked(motion)
    _check_meeting(motion, meeting)
    if motion.status not in {MotionStatus.SCHEDULED, MotionStatus.TABLED}:
        _refuse(_("Only a motion on a meeting's agenda can be sent back; schedule it first."))
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
    )
    return motion


@transaction.atomic
def motion_hand_to_committee(
    *, motion: Motion, meeting: Meeting, organ: Organ, user=None, reason: str = ""
) -> Motion:
    """The council hands a citizen proposal to a committee, which then decides it (prop. 2006/07:24)."""
    motion = _locked(motion)
    if motion.kind == MotionKind.MOTION:
        _refuse(_("Only citizen proposals and e-proposals can be handed to a committee to decide."))
    _check_undecided(motion, _("handed to a committee"))
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
    )
    return motion


@transaction.atomic
def motion_decide(
    *,
    motion: Motion,
    meeting: Meeting,
    paragraph: int,
    decided_on: date,
    outcomes: dict[int, str],
    title: str = "",
    user=None,
    **decision_fields,
) -> Decision:
    """Register the decision with an outcome for every clause. A withdrawn, written-off or
    already decided motion cannot be decided."""
    motion = _locked(motion)
    _check_undecided(motion, _("decided"))
    _check_meeting(motion, meeting)
    _check_date(motion, decided_on, _("A decision"))
    decision = services.decision_record(
        body=motion.body,
        meeting=meeting,
        paragraph=paragraph,
        decided_on=decided_on,
        title=title or motion.title,
        motion=motion,
        outcomes=outcomes,
        user=user,
        **decision_fields,
    )
    _record(
        motion,
        kind=EventKind.DECIDED,
        action="motions.decide",
        happened_on=decided_on,
        meeting=meeting,
        decision=decision,
        paragraph=str(paragraph),
        user=user,
    )
    return decision


def _check_write_off_ground(motion: Motion, *, legal_ground: str, reason: str):
    if legal_ground not in WriteOffGround.values:
        _refuse(_("Choose the legal ground for the write-off."))
    if legal_ground == WriteOffGround.REPORTED_UNDECIDED and not motion.reported_undecided_on:
        _refuse(
            _(
                "%(case)s has not been reported undecided to the council, so it cannot be written off under "
                "KL 5 kap. 35 §. Report it first or record another legal ground."
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
) -> MotionEvent:
    """Avskrivning from further handling. Under KL 5:35 only after the motion was reported undecided."""
    motion = _locked(motion)
    if motion.status != MotionStatus.WITHDRAWN:
        _check_undecided(motion, _("written off"))
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
    )


@transaction.atomic
def motion_withdraw(*, motion: Motion, withdrawn_on: date, reason: str = "", user=None) -> Motion:
    """The submitter takes the motion back. A withdrawn motion cannot be decided."""
    motion = _locked(motion)
    _check_undecided(motion, _("withdrawn"))
    _check_date(motion, withdrawn_on, _("A withdrawal"))
    _record(
        motion,
        kind=EventKind.WITHDRAWN,
        action="motions.withdraw",
        happened_on=withdrawn_on,
        user=user,
        reason=reason,
    )
    return motion


@transaction.atomic
def motion_close(*, motion: Motion, closed_on: date, user=None, reason: str = "") -> Motion:
    """Close a decided motion once its decision has legal force; a written-off or withdrawn one at once."""
    from .deadlines import decision_legal_effect

    motion = _locked(motion)
    if motion.status not in {
        MotionStatus.DECIDED,
        MotionStatus.WRITTEN_OFF,
        MotionStatus.WITHDRAWN,
    }:
        _refuse(_("Only a decided, written-off or withdrawn motion can be closed."))
    if motion.status == MotionStatus.DECIDED:
        decision = (
            motion.decisions.published().select_related("meeting").order_by("-decided_on").first()
        )
        effect = decision_legal_effect(decision, today=closed_on)
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
    checked first; if any is refused, nothing is written and the message names it."""
    motions = list(
        Motion.objects.select_for_update().filter(pk__in=[m.pk for m in motions]).order_by("pk")
    )
    if not motions:
        _refuse(_("Select at least one motion to write off."))
    consents = consents or {}
    for motion in motions:
        if motion.body_id != body.pk:
            _refuse(_("%(case)s belongs to another municipality.") % {"case": motion.case_number})
        if motion.status not in UNDECIDED and motion.status != MotionStatus.WITHDRAWN:
            _refuse(
                _("%(case)s is %(status)s and cannot be written off.")
                % {"case": motion.case_number, "status": motion.get_status_display()}
            )
        _check_write_off_ground(motion, legal_ground=legal_ground, reason=reason)
        _check_date(
            motion, decided_on, _("The write-off of %(case)s") % {"case": motion.case_number}
        )
    decision = services.decision_record(
        body=body,
        meeting=meeting,
        paragraph=paragraph,
        decided_on=decided_on,
        title=title,
        text=reason,
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
    Motions whose decision is still open to appeal, or appealed, are left as they are."""
    candidates = Motion.objects.filter(
        status=MotionStatus.DECIDED,
        decisions__live=True,
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
