"""Template helpers for pages outside the tracker that show commitments."""

from django import template

from ..models import Commitment

register = template.Library()


@register.simple_tag
def motion_commitments(motion):
    """Published commitments created by the motion's published decisions: one query."""
    if motion is None or not motion.pk:
        return []
    return list(Commitment.objects.published().for_motion(motion).order_by("target_year", "title"))
