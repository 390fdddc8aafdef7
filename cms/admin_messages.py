"""Wagtail admin messages that Wagtail 8.0's Swedish catalogue leaves untranslated.

The project's catalogue (LOCALE_PATHS) is read before Wagtail's, so a Swedish msgstr for one of
these msgids there replaces Wagtail's English. Marking them here keeps them in the catalogue
when `makemessages` runs again: it reads this file, and drops msgids it no longer finds.
tests/cms/test_swedish_admin.py walks the admin in Swedish and fails on the English ones."""

from django.utils.translation import gettext_noop, ngettext_lazy

WAGTAIL_MESSAGES = [
    gettext_noop("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"),
    gettext_noop("Actions (footer)"),
    gettext_noop("Any"),
    gettext_noop("Autosave is <span>paused</span>"),
    gettext_noop("Autosave is paused"),
    gettext_noop("Create a new %(model_name)s"),
    gettext_noop("Date updated"),
    gettext_noop("Edit account avatar"),
    gettext_noop("Exploring"),
    gettext_noop("Minimap"),
    gettext_noop("Saved"),
    gettext_noop("Show issue"),
    gettext_noop("Side panel width"),
    gettext_noop("Side panels"),
    gettext_noop("There are no %(model_name)s to display."),
    gettext_noop(
        'There are no %(model_name)s to display. Why not <a href="%(add_url)s">add one</a>?'
    ),
    gettext_noop("To be created by %(user)s"),
    ngettext_lazy("%(num_pages)d page", "%(num_pages)d pages", "num_pages"),
    ngettext_lazy(
        "%(num_parent_objects)d page", "%(num_parent_objects)d pages", "num_parent_objects"
    ),
]
