"""The one adapter between Wagtail's publish action, which we do not own, and our services:
a proposal or decision published from the admin tells followers as our own services do. The
signal fires inside the publishing transaction, so the outbox rows commit with it."""

from django.dispatch import receiver
from wagtail.signals import published

from . import notifications
from .models import CommitteeProposal, Decision


@receiver(published, sender=CommitteeProposal)
def proposal_published(sender, instance, **kwargs):
    notifications.proposal_published(instance)


@receiver(published, sender=Decision)
def decision_published(sender, instance, **kwargs):
    notifications.decision_published(instance)
