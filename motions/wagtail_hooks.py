from django.dispatch import receiver
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.signals import published, unpublished
from wagtail.snippets.models import register_snippet

from . import admin_views, services
from .models import CommitteeProposal, Decision, Motion
from .viewsets import OrganisationGroup, RecordGroup

register_snippet(RecordGroup)
register_snippet(OrganisationGroup)


@receiver(published)
@receiver(unpublished)
def after_publication(sender, instance, **kwargs):
    """The admin's publish and unpublish (code we don't own) reach the same services as the
    lifecycle buttons: one adapter, no domain work here."""
    revision = kwargs.get("revision")
    user = getattr(revision, "user", None)
    if isinstance(instance, Motion):
        services.motion_published(motion=instance)
    elif isinstance(instance, CommitteeProposal):
        if instance.live:
            services.proposal_published(proposal=instance, user=user)
        else:
            services.motion_published(motion=instance.motion)
    elif isinstance(instance, Decision):
        services.decision_published(decision=instance, user=user)


@hooks.register("register_log_actions")
def register_lifecycle_actions(actions):
    for action, (label, message) in services.LOG_ACTIONS.items():
        actions.register_action(action, label, message)


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
