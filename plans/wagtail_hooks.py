from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .models import FollowUp
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
