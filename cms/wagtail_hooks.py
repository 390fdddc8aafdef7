from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from motions.audit import can_read_log
from motions.forms import log_personal_ids_checked

from . import audit_views
from .audit import PageSource


@hooks.register("after_create_page")
def log_confirmed_personal_ids(request, page):
    """A new page's confirmation that its flagged text holds no personal identity number: the
    form could not log it, the page had no id yet (cms.forms.PublicPageForm)."""
    if fields := getattr(page, "personal_ids_confirmed", None):
        log_personal_ids_checked(page, user=request.user, fields=fields)


# The audit log per municipality (README "Audit log"): its pages, its menu item, the pages'
# part of the log; and Wagtail's own reports across all municipalities closed to all but
# superusers.


@hooks.register("register_audit_log_source")
def page_audit_log():
    return PageSource()


@hooks.register("register_admin_urls")
def audit_log_urls():
    close_global_reports()
    return [
        path("audit/", audit_views.audit_log, name="cms_audit_log"),
        path("audit/export.csv", audit_views.audit_log_export, name="cms_audit_log_export"),
    ]


class AuditLogMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read_log(request.user)


@hooks.register("register_reports_menu_item")
def audit_log_menu_item():
    return AuditLogMenuItem(
        _("Audit log"), reverse("cms_audit_log"), name="audit-log", icon_name="history", order=990
    )


# Wagtail's site history and workflow reports list every municipality's records, and the page
# types report names the last edited page of each type on any site: the url names in
# `wagtail.admin.urls.reports`, and the names of their menu items.
GLOBAL_REPORTS = {
    "site_history",
    "site_history_results",
    "workflow",
    "workflow_results",
    "workflow_tasks",
    "workflow_tasks_results",
    "page_types_usage",
    "page_types_usage_results",
}
GLOBAL_REPORT_MENU_ITEMS = {"site-history", "workflows", "workflow-tasks", "page-types-usage"}


@hooks.register("construct_reports_menu")
def hide_global_reports(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name not in GLOBAL_REPORT_MENU_ITEMS]


def close_global_reports():
    """Wrap the views of Wagtail's global reports where their URLs are declared, as Wagtail's
    own `decorate_urlpatterns` wraps every admin view: the menu hides them, a typed URL gets
    403 too. Called while Wagtail builds the admin's URLs (importing them any earlier, from
    this module, would build them before our hooks are registered)."""
    from wagtail.admin.urls import reports

    for pattern in reports.urlpatterns:
        if pattern.name in GLOBAL_REPORTS:
            pattern.callback = audit_views.superusers_only(pattern.callback)
