"""Hook into Wagtail's publish action, which we do not own: proposals, decisions and
follow-ups are published by our services *and* from the admin; both must notify followers. The
signal fires inside the publishing transaction, so the outbox rows commit with it."""

from django.dispatch import receiver
from wagtail.signals import published

from . import services
from .models import EventKind


@receiver(published)
def _record_publication(sender, instance, **kwargs):
    from motions.models import CommitteeProposal, Decision

    if sender is CommitteeProposal:
        kind = EventKind.PROPOSAL
        if services.event_exists(kind=EventKind.PROPOSAL, source=instance):
            kind = EventKind.PROPOSAL_REVISED
    elif sender is Decision:
        if services.event_exists(kind=EventKind.DECISION, source=instance):
            return  # a correction to a published decision is not news to followers
        kind = EventKind.DECISION
    elif sender._meta.label == "plans.FollowUp":
        if services.event_exists(kind=EventKind.FOLLOWUP, source=instance):
            return
        kind = EventKind.FOLLOWUP
    else:
        return
    services.event_record(kind=kind, source=instance)
