"""The one adapter between Wagtail's publish and unpublish actions, which we do not own, and our
services: the admin's publish reaches the same service as a lifecycle button, so the motion's
log, its derived status and its followers hear of it the same way. The signals fire inside the
publishing transaction, so whatever the services write commits with it."""

from django.dispatch import receiver
from wagtail.signals import published, unpublished

from . import services
from .models import CommitteeProposal, Decision, Motion


@receiver(published)
@receiver(unpublished)
def after_publication(sender, instance, **kwargs):
    user = getattr(kwargs.get("revision"), "user", None)
    if sender is Motion:
        services.motion_published(motion=instance)
    elif sender is CommitteeProposal:
        services.proposal_published(proposal=instance, user=user)
    elif sender is Decision:
        services.decision_published(decision=instance, user=user)
