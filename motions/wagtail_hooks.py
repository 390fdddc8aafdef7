from django.contrib import messages
from django.shortcuts import get_list_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import register_snippet

from . import access, admin_views, forms, gallring, gallring_views, services
from .models import Motion
from .viewsets import OrganisationGroup, RecordGroup

register_snippet(RecordGroup)
register_snippet(OrganisationGroup)


@hooks.register("register_log_actions")
def register_lifecycle_actions(actions):
    for action, (label, message) in services.LOG_ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("register_log_actions")
def register_personal_ids_checked(actions):
    actions.register_action(forms.PERSONAL_IDS_LOG_ACTION)(forms.PersonalIdsCheckedFormatter)


@hooks.register("register_admin_urls")
def lifecycle_admin_urls():
    return [
        path(
            "motions/<int:pk>/lifecycle/<slug:action>/",
            admin_views.motion_action,
            name="motions_action",
        ),
        path("motions/undecided-report/", admin_views.report_index, name="motions_report_index"),
        path(
            "motions/undecided-report/<int:pk>/",
            admin_views.report_detail,
            name="motions_report_detail",
        ),
        path(
            "motions/undecided-report/<int:pk>/export.<slug:fmt>",
            admin_views.report_export,
            name="motions_report_export",
        ),
        path("motions/write-off/", admin_views.bulk_write_off, name="motions_bulk_write_off"),
    ]


@hooks.register("register_admin_menu_item")
def undecided_report_menu_item():
    return MenuItem(
        _("Undecided motions (5:35)"),
        reverse("motions_report_index"),
        icon_name="list-ul",
        order=205,
    )


@hooks.register("register_admin_menu_item")
def write_off_menu_item():
    return MenuItem(
        _("End-of-term write-off"), reverse("motions_bulk_write_off"), icon_name="cross", order=206
    )


@hooks.register("construct_homepage_panels")
def deadline_panel(request, panels):
    if request.user.has_perm("motions.change_motion"):
        panels.append(admin_views.DeadlinePanel())


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def refresh_motion_deadline(request, instance):
    """Saving a draft in the admin may change the submission or raising date: keep the deadline."""
    if isinstance(instance, Motion):
        services.motion_published(motion=instance)


# Nothing registered is hard-deleted (REQ-ARCH-01); gallring is the one way a record leaves.


def _gallra_url(instance) -> str:
    opts = instance._meta
    return reverse("motions_gallra", args=[opts.app_label, opts.model_name, instance.pk])


def _refuse_deletion(request, instances):
    registered = [obj for obj in instances if gallring.is_registered(obj)]
    if not registered:
        return None
    messages.error(request, gallring.refusal_message(registered[0]))
    return redirect(gallring_views.listing_url(type(registered[0])))


@hooks.register("before_delete_snippet")
def refuse_record_delete(request, instances):
    """The delete view and the bulk delete action, even for a superuser's forged request."""
    return _refuse_deletion(request, instances)


@hooks.register("before_bulk_action")
def refuse_record_bulk_delete(request, action_type, objects, action_view):
    """Registered records never reach the bulk delete (the permission policy leaves them out);
    a POST that names them is refused as a whole, with the reason."""
    if action_type != "delete":
        return None
    _objects, extra = action_view.get_actionable_objects()
    return _refuse_deletion(request, [*objects, *extra.get("items_with_no_access", [])])


class ReachableDeleteBulkAction(DeleteBulkAction):
    """The bulk delete finds only the rows the user reaches: another municipality's ids are
    neither listed (not even as "no permission", which would name them) nor deleted."""

    def get_queryset(self, model, object_ids):
        # Wagtail's own: the listed rows, or 404 when none is found.
        rows = model._default_manager.filter(pk__in=object_ids)
        deleting = f"{model._meta.app_label}.delete_{model._meta.model_name}"
        return get_list_or_404(access.visible(self.request.user, rows, deleting))


# After Wagtail's own registration (order 0), so this one replaces it for every snippet.
hooks.register("register_bulk_action", ReachableDeleteBulkAction, order=1)


@hooks.register("construct_snippet_listing_buttons")
def hide_record_delete_button(buttons, instance, user):
    if gallring.is_registered(instance):
        delete_url = instance.snippet_viewset.get_url_name("delete")
        buttons[:] = [
            button
            for button in buttons
            if getattr(button, "url", None) != reverse(delete_url, args=[instance.pk])
        ]


@hooks.register("register_snippet_listing_buttons")
def gallra_listing_button(instance, user, next_url=None):
    if type(instance) in gallring.gallrable_models() and gallring.can_gallra(user):
        yield Button(_("Gallring"), url=_gallra_url(instance), icon_name="bin", priority=90)


class GallraMenuItem(ActionMenuItem):
    label = _("Gallring")
    name = "action-gallra"
    icon_name = "bin"

    def is_shown(self, context):
        return (
            context.get("view") == "edit"
            and context.get("instance") is not None
            and gallring.can_gallra(context["request"].user)
        )

    def get_url(self, parent_context):
        return _gallra_url(parent_context["instance"])


@hooks.register("register_snippet_action_menu_item")
def gallra_action_menu_item(model):
    return GallraMenuItem(order=900) if model in gallring.gallrable_models() else None


@hooks.register("register_admin_urls")
def gallring_admin_urls():
    return [
        path(
            "gallring/<slug:app_label>/<slug:model_name>/<int:pk>/",
            gallring_views.gallra,
            name="motions_gallra",
        ),
        path("gallring/", gallring_views.gallring_index, name="motions_gallring"),
    ]


class GallringMenuItem(MenuItem):
    def is_shown(self, request):
        return gallring.can_gallra(request.user) or request.user.has_perm(
            "motions.view_gallringrecord"
        )


@hooks.register("register_admin_menu_item")
def gallring_menu_item():
    return GallringMenuItem(_("Gallring"), reverse("motions_gallring"), icon_name="bin", order=290)


@hooks.register("register_log_actions")
def register_gallring_action(actions):
    @actions.register_action(gallring.LOG_ACTION)
    class GallraFormatter(LogFormatter):
        label = _("Removed by gallring")

        def format_message(self, log_entry):
            return gettext("Removed by gallring under %(reference)s (%(date)s): %(reason)s") % {
                "reference": log_entry.data.get("decision_reference", ""),
                "date": log_entry.data.get("decided_on", ""),
                "reason": log_entry.data.get("reason", ""),
            }
