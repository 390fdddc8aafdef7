"""Validation rules for decisions, shared by the admin forms and the services."""

from collections import Counter

from django.utils.translation import gettext as _

from .models.decision import VoteMethod
from .models.motion import MotionKind
from .models.organisation import OrganKind


def clause_coverage_errors(*, clause_count: int, clause_numbers: list[int]) -> list[str]:
    """Every clause must get exactly one outcome, and no outcome may name a clause that does not exist."""
    errors = []
    duplicates = sorted(n for n, seen in Counter(clause_numbers).items() if seen > 1)
    if duplicates:
        errors.append(
            _("Clause %(numbers)s has more than one outcome.")
            % {"numbers": ", ".join(map(str, duplicates))}
        )
    missing = sorted(set(range(1, clause_count + 1)) - set(clause_numbers))
    if missing:
        errors.append(
            _("Every clause needs an outcome; missing: clause %(numbers)s.")
            % {"numbers": ", ".join(map(str, missing))}
        )
    unknown = sorted(n for n in set(clause_numbers) if n > clause_count)
    if unknown:
        errors.append(
            _("The motion has %(count)d clauses; there is no clause %(numbers)s.")
            % {"count": clause_count, "numbers": ", ".join(map(str, unknown))}
        )
    return errors


def council_meeting_error(*, motion, meeting, raising: bool = False) -> str | None:
    """A motion is the council's matter (KL 5 kap. 22 §): it is raised at and decided by
    kommunfullmäktige. Citizen proposals and e-proposals are left to their own rules, since
    the council may hand them to a committee to decide."""
    if motion.kind != MotionKind.MOTION or meeting.organ.kind == OrganKind.COUNCIL:
        return None
    if raising:
        return _(
            "A motion is raised at a meeting of the council (kommunfullmäktige), not of %(organ)s."
        ) % {"organ": meeting.organ.name}
    return _(
        "A motion is decided by the council (kommunfullmäktige), not by %(organ)s; choose a "
        "council meeting."
    ) % {"organ": meeting.organ.name}


def decision_errors(decision) -> dict[str, str]:
    """Rules on the decision row itself: dates, municipality and vote totals."""
    errors: dict[str, str] = {}
    motion = decision.motion if decision.motion_id else None
    meeting = decision.meeting if decision.meeting_id else None
    if motion and decision.decided_on and decision.decided_on < motion.submitted_on:
        errors["decided_on"] = _(
            "A decision cannot be dated before the motion was submitted (%(date)s)."
        ) % {"date": motion.submitted_on.isoformat()}
    if motion and decision.body_id and motion.body_id != decision.body_id:
        errors["motion"] = _("The motion belongs to another municipality.")
    if meeting and decision.body_id and meeting.organ.body_id != decision.body_id:
        errors["meeting"] = _("The meeting belongs to another municipality.")
    if motion and meeting and (error := council_meeting_error(motion=motion, meeting=meeting)):
        errors.setdefault("meeting", error)
    if meeting and decision.decided_on and decision.decided_on < meeting.date:
        errors["decided_on"] = _("A decision cannot be dated before its meeting.")
    if (
        decision.minutes_approved_on
        and decision.decided_on
        and decision.minutes_approved_on < decision.decided_on
    ):
        errors["minutes_approved_on"] = _("The minutes cannot be approved before the decision.")
    if decision.notice_posted_on and not decision.minutes_approved_on:
        errors["notice_posted_on"] = _(
            "The notice is posted after the minutes are approved; give that date first."
        )
    elif decision.notice_posted_on and decision.notice_posted_on < decision.minutes_approved_on:
        errors["notice_posted_on"] = _(
            "The notice cannot be posted before the minutes were approved."
        )

    counts = [
        decision.votes_for,
        decision.votes_against,
        decision.votes_abstaining,
        decision.votes_absent,
    ]
    if decision.vote_method == VoteMethod.VOTE:
        if any(c is None for c in counts):
            errors["votes_for"] = _("A vote needs all four counts: yes, no, abstaining and absent.")
        elif meeting and meeting.organ.seats and sum(counts) != meeting.organ.seats:
            errors["votes_for"] = _(
                "The votes add up to %(total)d but %(organ)s has %(seats)d seats."
            ) % {"total": sum(counts), "organ": meeting.organ.name, "seats": meeting.organ.seats}
    elif any(c for c in counts):
        errors["vote_method"] = _("Vote counts are only recorded when there was a vote.")
    return errors


def party_vote_errors(decision, party_votes: list[dict]) -> list[str]:
    """Votes per party must add up to the totals."""
    if not party_votes:
        return []
    if decision.vote_method != VoteMethod.VOTE:
        return [_("Votes per party are only recorded when there was a vote.")]
    errors = []
    for field, label in [
        ("votes_for", _("yes")),
        ("votes_against", _("no")),
        ("votes_abstaining", _("abstaining")),
        ("votes_absent", _("absent")),
    ]:
        total = sum(v.get(field) or 0 for v in party_votes)
        if total != (getattr(decision, field) or 0):
            errors.append(
                _("The parties' %(label)s votes add up to %(total)d, not %(expected)d.")
                % {"label": label, "total": total, "expected": getattr(decision, field) or 0}
            )
    return errors
