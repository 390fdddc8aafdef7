"""The deadline status of a motion for public templates; no queries beyond the motion's body."""

from django import template
from django.utils import timezone

from motions.deadlines import motion_deadline_status

register = template.Library()


@register.simple_tag
def motion_deadline(motion):
    return motion_deadline_status(motion, today=timezone.localdate())
