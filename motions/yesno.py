"""Booleans in the admin as "Ja"/"Nej": Wagtail shows a BooleanField in a list column and an
inspect view as Python's True/False, which is English and means nothing to a secretary."""

from django.db import models
from django.utils.html import conditional_escape
from django.utils.translation import gettext
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.fields import register_display_class
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import IndexView


def yes_no(value) -> str:
    """Yes, No, or a dash for an unknown (null) value, in the active language."""
    if value is None:
        return "-"
    return gettext("Yes") if value else gettext("No")


class YesNoDisplay(Component):
    """A boolean in an inspect view (`register_display_class`)."""

    def __init__(self, value):
        self.value = value

    def render_html(self, parent_context=None):
        return conditional_escape(yes_no(self.value))


class YesNoColumn(Column):
    """A boolean in a list."""

    def get_value(self, instance):
        return yes_no(super().get_value(instance))


class YesNoIndexView(IndexView):
    """A snippet list whose `list_display` booleans show as Yes/No."""

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        # Wagtail's own way from a name in list_display to a column, with another column class.
        field = self.model._meta._forward_fields_map.get(field_name)
        if isinstance(field, models.BooleanField) and column_class is Column:
            column_class = YesNoColumn
        return super()._get_custom_column(field_name, column_class, **kwargs)


def register():
    """Called once at start-up (motions.apps)."""
    register_display_class(models.BooleanField, display_class=YesNoDisplay)
