from django import template

from .. import services

register = template.Library()


@register.filter
def follow_key(obj) -> str:
    """ "motion:12" for the follow form's hidden field."""
    return services.target_key(obj)
