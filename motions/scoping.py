"""The admin asks `access.visible` everywhere: Wagtail's views, choosers, form fields and
permission checks for the records a user's roles reach (README "Roles").

A record outside the user's reach is not found (404), whatever the URL: a list, an edit or
delete view, its history, revisions, preview, usage, a workflow action or a chooser. Form
fields and list filters offer only reachable rows, so a forged POST naming another
municipality's organ is an invalid choice, not a write. A user who sees more than one
municipality (a superuser, a region) gets each record's municipality named: a list column,
and select and chooser labels such as "Kommunfullmäktige (Borås Stad)".
"""

from functools import reduce, wraps
from operator import or_

from django.contrib.admin.utils import unquote
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, RevisionsCompareView
from wagtail.admin.views.generic.history import (
    HistoryView,
    WorkflowHistoryDetailView,
    WorkflowHistoryView,
)
from wagtail.admin.views.generic.usage import UsageView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.views.snippets import PreviewRevisionView

from . import access


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, each limited to the rows reached by the roles whose group
    grants it."""

    def user_has_permission_for_instance(self, user, action, instance):
        return super().user_has_permission_for_instance(user, action, instance) and (
            access.reaches(user, instance, self._get_permission_name(action))
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = super().instances_user_has_any_permission_for(user, actions)
        reachable = [
            access.visible(user, queryset, self._get_permission_name(action)) for action in actions
        ]
        return reduce(or_, reachable) if reachable else queryset.none()


# Naming each row's municipality, for a user who sees more than one (a superuser, a region).


def body_paths(model) -> tuple[str, ...]:
    """The lookups from `model` to its municipality (none for a municipality itself)."""
    scope = access.scope_of(model)
    return tuple(path for path in (scope.bodies if scope else ()) if path != "pk")


def municipality_of(instance):
    """The municipality a row belongs to, by following its scope's lookups (no query when the
    queryset selected them: `with_municipality`)."""
    for path in body_paths(type(instance)):
        value = instance
        for name in path.split("__"):
            value = getattr(value, name, None)
            if value is None:
                break
        if value is not None:
            return value
    return None


def with_municipality(queryset: QuerySet) -> QuerySet:
    """`queryset` with each row's municipality selected, for `labelled`."""
    paths = [path for path in body_paths(queryset.model) if not _crosses_many(queryset.model, path)]
    return queryset.select_related(*paths) if paths else queryset


def _crosses_many(model, path) -> bool:
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def labelled(instance) -> str:
    """A row's label with its municipality: "Kommunfullmäktige (Borås Stad)"."""
    body = municipality_of(instance)
    return f"{instance} ({body.name})" if body is not None else str(instance)


def names_bodies(user) -> bool:
    """`access.sees_many_bodies`, asked once per request's user."""
    cached = getattr(user, "_beslutsspar_sees_many", None)
    if cached is None:
        cached = access.sees_many_bodies(user)
        if user is not None:
            user._beslutsspar_sees_many = cached
    return cached


def scope_choice_field(field, user, permission: str | None = None):
    """Limit a model choice field (or filter) to the rows `user` reaches (with `permission`:
    through a role that grants it), labelled with their municipality when the user sees more
    than one."""
    queryset = getattr(field, "queryset", None)
    if not isinstance(queryset, QuerySet) or access.scope_of(queryset.model) is None:
        return
    queryset = access.visible(user, queryset, permission)
    if names_bodies(user) and body_paths(queryset.model):
        queryset = with_municipality(queryset)
        if hasattr(field, "label_from_instance"):
            field.label_from_instance = labelled
        if hasattr(field.widget, "get_display_title"):  # a chooser: the chosen record's title
            field.widget.get_display_title = labelled
    field.queryset = queryset


def scope_queryset_fields(form, user, permission: str | None = None):
    """Limit every choice of a related row in `form` to what `user` reaches, with
    `permission` (the form's own: adding or changing its record) through a role granting it."""
    for field in form.fields.values():
        scope_choice_field(field, user, permission)


def form_permission(form) -> str | None:
    """What saving `form` needs: adding its model's record, or changing it."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return None
    instance = getattr(form, "instance", None)
    action = "change" if instance is not None and instance.pk else "add"
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


class ScopedFilterSetMixin:
    """For the admin's list filters: a filter's choice of municipalities, organs, parties...
    offers only those the signed-in user reaches, named with their municipality when needed."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        scoped = []
        for name, filter_ in self.filters.items():
            queryset = getattr(filter_, "queryset", None)
            if isinstance(queryset, QuerySet) and access.scope_of(queryset.model) is not None:
                filter_.queryset = access.visible(user, queryset) if user else queryset.none()
                scoped.append(name)
        if user is not None and names_bodies(user):
            for name in scoped:
                field = self.form.fields.get(name)
                if field is not None and body_paths(field.queryset.model):
                    field.queryset = with_municipality(field.queryset)
                    field.label_from_instance = labelled


class ScopedFilterSet(ScopedFilterSetMixin, WagtailFilterSet):
    """The base of the filter sets Wagtail builds from a viewset's `list_filter`."""


def scoped_filterset(filterset_class):
    if filterset_class is None or issubclass(filterset_class, ScopedFilterSetMixin):
        return filterset_class
    return type(filterset_class.__name__, (ScopedFilterSetMixin, filterset_class), {})


class ScopedIndexViewMixin:
    """A list that names each row's municipality when the user sees more than one."""

    @cached_property
    def columns(self):
        columns = super().columns
        shown = {getattr(column, "name", None) for column in columns}
        if (
            body_paths(self.model)
            and not shown & {"body", "municipality"}
            and names_bodies(self.request.user)
        ):
            columns = [
                *columns,
                Column(
                    "municipality",
                    label=_("Municipality"),
                    accessor=lambda row: getattr(municipality_of(row), "name", ""),
                ),
            ]
        return columns


class ScopedFormMixin:
    """For Wagtail admin forms (which know `for_user`): the form's and its inline rows' choices
    of organs, parties, motions, decisions... are the user's own municipality's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None:
            return
        permission = form_permission(self)
        scope_queryset_fields(self, self.for_user, permission)
        for formset in getattr(self, "formsets", {}).values():
            for row in formset.forms:
                scope_queryset_fields(row, self.for_user, permission)


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

    def reachable_queryset(self, request):
        """The list's rows, whatever a subclass's `get_queryset` returns: only the reachable."""
        queryset = self.get_queryset(request)
        if queryset is None:
            queryset = self.model._default_manager.all()
        return with_municipality(access.visible(request.user, queryset))

    def get_index_view_kwargs(self, **kwargs):
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        view_kwargs["queryset"] = self.reachable_queryset
        view_kwargs["base_filterset_class"] = ScopedFilterSet
        if isinstance(view_kwargs.get("filterset_class"), type):
            view_kwargs["filterset_class"] = scoped_filterset(view_kwargs["filterset_class"])
        return view_kwargs

    def construct_view(self, view_class, **kwargs):
        if issubclass(view_class, IndexView) and not issubclass(view_class, ScopedIndexViewMixin):
            view_class = type(view_class.__name__, (ScopedIndexViewMixin, view_class), {})
        if issubclass(view_class, READ_VIEWS):
            # A record's history, revisions, workflow history and usage are read with the
            # "view" permission too: auditors read them and change nothing.
            kwargs |= {"permission_required": None, "any_permission_required": READ_ANY}
        view = super().construct_view(view_class, **kwargs)
        # A view that needs one permission (edit: change, delete: delete…) finds only the rows
        # reached by a role that grants it; the others, only the rows the user reaches at all.
        action = kwargs.get("permission_required", getattr(view_class, "permission_required", None))
        opts = self.model._meta
        permission = f"{opts.app_label}.{action}_{opts.model_name}" if action else None
        return reachable_only(view, self.model, permission)


# Views that only read a record; Wagtail asks "change" (or add/change/delete) for them.
READ_VIEWS = (
    HistoryView,
    RevisionsCompareView,
    PreviewRevisionView,
    WorkflowHistoryView,
    WorkflowHistoryDetailView,
    UsageView,
)
READ_ANY = ["add", "change", "delete", "view"]


def reachable_only(view, model, permission: str | None = None):
    """Wrap `view` so that a `pk` in its URL must name a row the user reaches (with
    `permission`: through a role that grants it), or 404."""

    @wraps(view)
    def scoped_view(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            rows = model._default_manager.filter(pk=unquote(str(pk)))
            if not access.visible(request.user, rows, permission).exists():
                raise Http404
        return view(request, *args, **kwargs)

    return scoped_view
