"""What followers are told about the council's record. Each function describes one change
(who follows it, a title, a summary, a link) and hands it to `subscriptions`, which records it
only while the record is published and checks again before each e-mail goes out.

Call them inside the service's transaction, after the change is saved."""

from django.utils.translation import gettext as _

from subscriptions.models import EventKind
from subscriptions.services import event_exists, event_record


def motion_targets(motion) -> list:
    """A motion, its submitters' parties and its areas."""
    parties = [s.party for s in motion.submitters.all() if s.party_id]
    return [motion, *parties, *motion.areas.all()]


def referral_answered(referral):
    """An organ answered a referral on a motion."""
    motion = referral.motion
    summary = _("%(organ)s answered the referral on %(date)s.") % {
        "organ": referral.organ,
        "date": referral.answered_on,
    }
    if referral.response_summary:
        summary += "\n\n" + referral.response_summary
    return event_record(
        kind=EventKind.REFERRAL_ANSWERED,
        source=referral,
        targets=[*motion_targets(motion), referral.organ],
        title=str(motion),
        summary=summary,
        path=motion.get_url() or "",
    )


def proposal_published(proposal):
    """A committee proposal was published; the second time, it was revised."""
    revised = event_exists(kind=EventKind.PROPOSAL, source=proposal)
    message = (
        _("%(organ)s revised its proposal on %(date)s.")
        if revised
        else _("%(organ)s proposed a decision on %(date)s.")
    )
    motion = proposal.motion
    return event_record(
        kind=EventKind.PROPOSAL_REVISED if revised else EventKind.PROPOSAL,
        source=proposal,
        targets=[*motion_targets(motion), proposal.organ],
        title=str(motion),
        summary=message % {"organ": proposal.organ, "date": proposal.proposed_on},
        path=motion.get_url() or "",
    )


def decision_published(decision):
    """A decision was published. A correction to a published decision is not news."""
    if event_exists(kind=EventKind.DECISION, source=decision):
        return None
    organ = decision.meeting.organ
    summary = _("%(organ)s decided on %(date)s (§ %(paragraph)s): %(title)s") % {
        "organ": organ,
        "date": decision.decided_on,
        "paragraph": decision.paragraph,
        "title": decision.title,
    }
    motion = decision.motion
    if motion is None:
        targets, title, path = [organ], decision.title, ""
    else:
        targets, title, path = [*motion_targets(motion), organ], str(motion), motion.get_url()
    return event_record(
        kind=EventKind.DECISION,
        source=decision,
        targets=targets,
        title=title,
        summary=summary,
        path=path or "",
    )
