from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from motions import access

from . import admin_views, importing


@hooks.register("register_log_actions")
def register_import_actions(actions):
    """The log entry each imported record gets, naming the import (`importing.LOG_ACTIONS`)."""
    for action, (label, message) in importing.LOG_ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("register_log_actions")
def register_oparl_import_action(actions):
    """The log entry a record imported by `import_oparl` gets, naming the OParl server."""
    from .oparl.ingest import LOG_ACTION, OparlImportFormatter

    actions.register_action(LOG_ACTION)(OparlImportFormatter)


@hooks.register("register_admin_urls")
def import_admin_urls():
    return [
        path("registers/import/", admin_views.import_index, name="registers_import"),
        path(
            "registers/import/template.xlsx",
            admin_views.import_template,
            name="registers_import_template",
        ),
        path(
            "registers/import/<int:pk>/columns/",
            admin_views.import_mapping,
            name="registers_import_mapping",
        ),
        path(
            "registers/import/<int:pk>/dry-run/",
            admin_views.import_report,
            name="registers_import_report",
        ),
        path(
            "registers/import/<int:pk>/commit/",
            admin_views.import_commit,
            name="registers_import_commit",
        ),
        path("registers/import/<int:pk>/", admin_views.import_run, name="registers_import_run"),
        path(
            "registers/import/<int:pk>/cancel/",
            admin_views.import_cancel,
            name="registers_import_cancel",
        ),
    ]


class ImportMenuItem(MenuItem):
    """Shown where a role of the user's may add motions (`import_runs.importable_bodies`),
    from the roles the request has already read: no query on every admin page."""

    def is_shown(self, request):
        you = access.reach(request.user, "motions.add_motion")
        return you.everything or bool(you.bodies)


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return ImportMenuItem(
        _("Import register"), reverse("registers_import"), icon_name="upload", order=207
    )
