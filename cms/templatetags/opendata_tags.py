"""The licence of a municipality's open data, for the download links (`cms.licences`)."""

from django import template

from cms.licences import licence_of

register = template.Library()


@register.simple_tag
def data_licence(body):
    """`{% data_licence body as licence %}`: `licence.label` and `licence.url`."""
    return licence_of(body)
