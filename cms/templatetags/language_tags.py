"""Marks Swedish text on the English pages so screen readers read it with a Swedish voice."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def swedish(english=""):
    """` lang="sv"` on a page that is not in Swedish, else nothing. Goes in the opening tag of
    an element holding record text, which is not translated with the page:
    `<h1{% swedish %}>{{ motion.title }}</h1>`. With the English version of a text as its
    argument, nothing when there is one (it is shown instead):
    `<h1{% swedish page.title_en %}>{{ page.local_title }}</h1>`. No query."""
    if english or translation.get_language() == settings.LANGUAGE_CODE:
        return ""
    return mark_safe(f' lang="{settings.LANGUAGE_CODE}"')  # noqa: S308 -- a setting, not input
