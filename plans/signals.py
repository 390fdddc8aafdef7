"""The one adapter between Wagtail's publish and unpublish actions and our services: a
commitment or follow-up published from the admin reaches the same service as our own writes.
Fires inside the publishing transaction."""

from django.dispatch import receiver
from wagtail.signals import published, unpublished

from . import services
from .models import Commitment, FollowUp


@receiver(published)
@receiver(unpublished)
def after_publication(sender, instance, **kwargs):
    if sender is FollowUp:
        services.followup_published(followup=instance)
    elif sender is Commitment:
        services.commitment_refresh_status(commitment=instance)
