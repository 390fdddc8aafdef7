from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.mail import (
    BaseGroupApprovalTaskStateEmailNotifier,
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateSubmissionEmailNotifier,
)
from wagtail.admin.menu import MenuItem
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_submitted
from wagtail.snippets.models import register_snippet

from motions.models import RoleKind

from . import admin_views
from .models import FollowUp, SecretariatApprovalTask
from .viewsets import FollowUpGroup

register_snippet(FollowUpGroup)


def _refuse_locked(request, instances):
    """Published follow-ups are part of the public record (append-only): no edit or unpublish.
    Deleting them is refused with every other registered record (`motions.gallring`)."""
    if any(isinstance(obj, FollowUp) and obj.is_locked_record for obj in instances):
        messages.error(
            request, _("A published follow-up cannot be changed; write a new follow-up instead.")
        )
        return redirect("wagtailsnippets_plans_followup:inspect", instances[0].pk)
    return None


@hooks.register("before_edit_snippet")
def block_followup_edit(request, instance):
    return _refuse_locked(request, [instance])


@hooks.register("before_unpublish")
def block_followup_unpublish(request, instance):
    return _refuse_locked(request, [instance])


# The secretariat's list of late reporters.


@hooks.register("register_admin_urls")
def late_reporters_urls():
    return [path("plans/late-follow-ups/", admin_views.late_reporters, name="plans_late_reporters")]


class LateReportersMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_see_late_reporters(request.user)


@hooks.register("register_admin_menu_item")
def late_reporters_menu_item():
    return LateReportersMenuItem(
        gettext_lazy("Late follow-ups"),
        reverse("plans_late_reporters"),
        icon_name="warning",
        order=225,
    )


# E-mail in the follow-ups' workflow. Wagtail already tells the submitter of an approval and of
# a rejection (with its comment); a follow-up's submission goes to its own municipality's
# secretariat only, never to every superuser of the installation.


def _is_followup(workflow_state) -> bool:
    return workflow_state.base_content_type_id == ContentType.objects.get_for_model(FollowUp).pk


def secretariat_of(followup, *, exclude=None):
    """The users who may approve `followup`: its municipality's secretariat, with the
    permission to publish follow-ups."""
    publish = Permission.objects.filter(
        content_type__app_label="plans", codename="publish_followup"
    )
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__role__kind=RoleKind.SECRETARIAT,
            groups__role__body_id=followup.body_id,
        )
        .filter(Q(groups__permissions__in=publish) | Q(user_permissions__in=publish))
        .distinct()
    )
    return users.exclude(pk=exclude.pk) if exclude is not None else users


class SecretariatSubmissionNotifier(BaseGroupApprovalTaskStateEmailNotifier):
    """Wagtail's "submitted for approval" mail, to the follow-up's secretariat."""

    notification = "submitted"

    def can_handle(self, instance, **kwargs):
        return isinstance(instance, TaskState) and isinstance(
            instance.task.specific, SecretariatApprovalTask
        )

    def get_recipient_users(self, task_state, **kwargs):
        followup = task_state.workflow_state.content_object
        return secretariat_of(followup, exclude=kwargs.get("user"))


class WorkflowSubmissionNotifier(WorkflowStateSubmissionEmailNotifier):
    """Wagtail's mail to every superuser on any submission, except for follow-ups."""

    def can_handle(self, instance, **kwargs):
        return super().can_handle(instance, **kwargs) and not _is_followup(instance)


class WorkflowApprovalNotifier(WorkflowStateApprovalEmailNotifier):
    """Wagtail's approval mail to the submitter; for a follow-up with the approver's comment
    and a link to it in the admin."""

    def get_template_set(self, instance, **kwargs):
        if not _is_followup(instance):
            return super().get_template_set(instance, **kwargs)
        base = "plans/admin/mail/followup_approved"
        return {"subject": f"{base}_subject.txt", "text": f"{base}.txt", "html": f"{base}.html"}

    def get_context(self, workflow_state, **kwargs):
        context = super().get_context(workflow_state, **kwargs)
        if _is_followup(workflow_state):
            task_state = workflow_state.current_task_state
            context["comment"] = task_state.comment if task_state else ""
            context["approver"] = task_state.finished_by if task_state else None
            context["inspect_url"] = reverse(
                "wagtailsnippets_plans_followup:inspect", args=[workflow_state.object_id]
            )
        return context


# Module-level: signals keep only weak references to their receivers.
secretariat_submission_notifier = SecretariatSubmissionNotifier()
workflow_submission_notifier = WorkflowSubmissionNotifier()
workflow_approval_notifier = WorkflowApprovalNotifier()

task_submitted.connect(
    secretariat_submission_notifier,
    sender=TaskState,
    dispatch_uid="plans_secretariat_task_submitted_email_notification",
)
# The same dispatch_uid as Wagtail's (wagtail.admin.signal_handlers): ours replace them.
workflow_submitted.disconnect(
    sender=WorkflowState, dispatch_uid="workflow_state_submitted_email_notification"
)
workflow_submitted.connect(
    workflow_submission_notifier,
    sender=WorkflowState,
    dispatch_uid="workflow_state_submitted_email_notification",
)
workflow_approved.disconnect(
    sender=WorkflowState, dispatch_uid="workflow_state_approved_email_notification"
)
workflow_approved.connect(
    workflow_approval_notifier,
    sender=WorkflowState,
    dispatch_uid="workflow_state_approved_email_notification",
)
