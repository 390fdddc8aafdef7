from django.contrib import messages
from django.dispatch import receiver
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.signals import published, unpublished
from wagtail.snippets.models import register_snippet

from .models import Commitment, FollowUp
from .services import commitment_refresh_status
from .viewsets import FollowUpGroup

register_snippet(FollowUpGroup)


def _refuse_locked(request, instances):
    """Published follow-ups are part of the public record (append-only): no edit or unpublish.
    Deleting them is refused with every other registered record (`motions.gallring`)."""
    if any(isinstance(obj, FollowUp) and obj.is_locked_record for obj in instances):
        messages.error(
            request, _("A published follow-up cannot be changed; write a new follow-up instead.")
        )
        return redirect("wagtailsnippets_plans_followup:inspect", instances[0].pk)
    return None


@hooks.register("before_edit_snippet")
def block_followup_edit(request, instance):
    return _refuse_locked(request, [instance])


@hooks.register("before_unpublish")
def block_followup_unpublish(request, instance):
    return _refuse_locked(request, [instance])


@receiver(published)
@receiver(unpublished)
def refresh_commitment_status(sender, instance, **kwargs):
    """Publishing through the admin (code we don't own) must update the public status too;
    publishing a commitment's revision would otherwise restore its stored status."""
    if isinstance(instance, FollowUp) and instance.commitment_id:
        commitment_refresh_status(commitment=instance.commitment)
    elif isinstance(instance, Commitment):
        commitment_refresh_status(commitment=instance)
