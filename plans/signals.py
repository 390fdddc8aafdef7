"""The one adapter between Wagtail's publish action and our services: a follow-up published
from the admin tells followers. Fires inside the publishing transaction."""

from django.dispatch import receiver
from wagtail.signals import published

from . import notifications
from .models import FollowUp


@receiver(published, sender=FollowUp)
def followup_published(sender, instance, **kwargs):
    notifications.followup_published(instance)
