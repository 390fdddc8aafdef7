"""What followers are told about follow-up: a follow-up was published. Described here, handed
to `subscriptions`, which records it only while the follow-up is published with its whole
chain (commitment or plan, decision, motion) and checks again before each e-mail goes out."""

from django.utils.translation import gettext as _

from motions.notifications import motion_targets
from subscriptions.models import EventKind
from subscriptions.services import event_exists, event_record


def followup_published(followup):
    """Followers of the commitment, its responsible organ, its areas and the motion behind it
    hear of the first publication only; an action plan's follow-up is not followable alone."""
    commitment = followup.commitment
    if commitment is None or event_exists(kind=EventKind.FOLLOWUP, source=followup):
        return None
    summary = _("Follow-up for the period ending %(date)s: %(status)s.") % {
        "date": followup.period_end,
        "status": followup.get_status_display(),
    }
    if followup.narrative:
        summary += "\n\n" + followup.narrative
    decision = commitment.decision
    targets = [commitment, commitment.responsible_organ, *commitment.areas.all()]
    if decision.motion_id:
        targets += motion_targets(decision.motion)
    return event_record(
        kind=EventKind.FOLLOWUP,
        source=followup,
        targets=targets,
        title=str(commitment),
        summary=summary,
        path=commitment.get_url() or "",
    )
