"""The admin asks `access.visible` everywhere: Wagtail's views, choosers, form fields and
permission checks for the records a user's roles reach (README "Roles").

A record outside the user's reach is not found (404), whatever the URL: a list, an edit or
delete view, its history, revisions, preview, usage, a workflow action or a chooser. Form
fields offer only reachable rows, so a forged POST naming another municipality's organ is
an invalid choice, not a write.
"""

from functools import wraps

from django.contrib.admin.utils import unquote
from django.http import Http404
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from . import access


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, limited to the rows the user's roles reach."""

    def user_has_permission_for_instance(self, user, action, instance):
        return access.reaches(user, instance) and super().user_has_permission_for_instance(
            user, action, instance
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return access.reaches(user, instance) and super().user_has_any_permission_for_instance(
            user, actions, instance
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return access.visible(user, super().instances_user_has_any_permission_for(user, actions))


def scope_queryset_fields(form, user):
    """Limit every choice of a related row in `form` to what `user` reaches."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and access.scope_of(queryset.model) is not None:
            field.queryset = access.visible(user, queryset)


class ScopedFormMixin:
    """For Wagtail admin forms (which know `for_user`): the form's and its inline rows' choices
    of organs, parties, motions, decisions... are the user's own municipality's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        scope_queryset_fields(self, self.for_user)
        for formset in getattr(self, "formsets", {}).values():
            for row in formset.forms:
                scope_queryset_fields(row, self.for_user)


class ScopedViewSetMixin:
    """For a SnippetViewSet: its list shows, and every view taking a `pk` finds, only the rows
    the user's roles reach. Its permission policy asks the same rule."""

    def register_permissions(self):
        if policy_registry.get_by_type(self.model, fallback=False) is None:
            register_permission_policy(self.model, ScopedPermissionPolicy(self.model))
        super().register_permissions()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if queryset is None:
            queryset = self.model._default_manager.all()
        return access.visible(request.user, queryset)

    def construct_view(self, view_class, **kwargs):
        view = super().construct_view(view_class, **kwargs)
        return reachable_only(view, self.model)


def reachable_only(view, model):
    """Wrap `view` so that a `pk` in its URL must name a row the user reaches, or 404."""

    @wraps(view)
    def scoped_view(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            rows = model._default_manager.filter(pk=unquote(str(pk)))
            if not access.visible(request.user, rows).exists():
                raise Http404
        return view(request, *args, **kwargs)

    return scoped_view
