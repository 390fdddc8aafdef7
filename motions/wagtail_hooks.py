from django.dispatch import receiver
from wagtail.signals import published, unpublished
from wagtail.snippets.models import register_snippet

from .models import CommitteeProposal, Decision, Motion
from .services import motion_refresh_status
from .viewsets import OrganisationGroup, RecordGroup

register_snippet(RecordGroup)
register_snippet(OrganisationGroup)


@receiver(published)
@receiver(unpublished)
def refresh_motion_status(sender, instance, **kwargs):
    """Publishing through the admin (code we don't own) must update the derived status too."""
    if isinstance(instance, Motion):
        motion_refresh_status(motion=instance)
    elif isinstance(instance, (CommitteeProposal, Decision)) and instance.motion_id:
        motion_refresh_status(motion=instance.motion)
