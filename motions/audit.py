"""The audit log of a municipality (REQ-OFF-03): who did what to which record, when, and what
changed, for the secretariat and the auditors of that municipality only.

Wagtail already writes the log (`ModelLogEntry` for snippets, `PageLogEntry` for pages, each
pointing at the revision it saved). This module only chooses and explains entries:

- `AuditSource` is one log model and the rule of which of its entries a user sees. The records'
  source is here: an entry is seen when its record is among the rows `access.visible` gives the
  user, or was removed by gallring in the user's reach (its `GallringRecord`). Pages belong to
  `cms`, which adds its source through the `register_audit_log_source` hook.
- `audit_log(user, ...)` is one query over every source, newest first, for a paginator.
- `audit_rows(user, rows)` turns a page of it into what a reader sees, with the before/after of
  every saved revision: a constant number of queries whatever the page's length.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from operator import or_

from django.apps import apps
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import ModelLogEntry, Revision
from wagtail.permissions import policy_registry

from . import access
from .models import Body, GallringRecord

SOURCES_HOOK = "register_audit_log_source"
GALLRA_ACTION = "motions.gallra"  # motions.gallring.LOG_ACTION (gallring imports services)
SHORT = 80  # characters of a value shown before it is shortened

# What a revision holds that is Wagtail's bookkeeping rather than the record's content.
BOOKKEEPING = frozenset(
    {
        "pk",
        "id",
        "live",
        "has_unpublished_changes",
        "first_published_at",
        "last_published_at",
        "latest_revision",
        "live_revision",
        "latest_revision_created_at",
        "locked",
        "locked_at",
        "locked_by",
        "draft_title",
        "url_path",
        "path",
        "depth",
        "numchild",
        "content_type",
        "owner",
        "translation_key",
        "locale",
        "expired",
        "alias_of",
        "comments",
        "wagtail_admin_comments",
        "search_description",
        "seo_title",
    }
)


def scoped_models() -> list[type[models.Model]]:
    """Every model that says how its rows find their municipality, from any app (plans too,
    without motions importing it). Shared lookup tables belong to no municipality."""
    return [
        model
        for model in apps.get_models()
        if (scope := access.scope_of(model)) is not None and not scope.shared
    ]


class AuditSource:
    """One log model and which of its entries a user sees. `decorate` reads a page of them,
    annotated with `audit_body_id`: the municipality of the entry's record, or None."""

    log_model: type[models.Model]

    def entries(self, user) -> QuerySet:
        raise NotImplementedError

    def record_types(self) -> list[tuple[str, str]]:
        """(key, label) of the kinds of record this source logs, for the filter."""
        raise NotImplementedError

    def of_type(self, queryset: QuerySet, key: str) -> QuerySet:
        raise NotImplementedError

    def decorate(self, queryset: QuerySet) -> QuerySet:
        """The entries of one page, as `audit_rows` reads them (one query)."""
        return queryset.select_related("user", "revision", "content_type")

    def record_id(self, entry) -> str:
        return entry.object_id

    def record_url(self, entry, user) -> str | None:
        raise NotImplementedError


def _content_types(record_models) -> dict[type[models.Model], ContentType]:
    return ContentType.objects.get_for_models(*record_models, for_concrete_models=False)


def _pk_as_text(queryset: QuerySet) -> QuerySet:
    """A queryset's primary keys as text, to compare with a log entry's `object_id`."""
    return queryset.annotate(audit_id=Cast("pk", CharField())).values("audit_id")


class RecordSource(AuditSource):
    """The snippets' log: `ModelLogEntry`, scoped by `access.visible` model by model."""

    log_model = ModelLogEntry

    def entries(self, user) -> QuerySet:
        record_models = scoped_models()
        types = _content_types(record_models)
        queryset = ModelLogEntry.objects.all()
        if access.reach(user).everything:
            return queryset
        gallrad = access.visible(user, GallringRecord.objects.all())
        conditions = [
            Q(content_type_id=types[model].pk)
            & (
                Q(object_id__in=_pk_as_text(access.visible(user, model._default_manager.all())))
                | Q(object_id__in=gallrad.filter(model_label=model._meta.label).values("object_id"))
            )
            for model in record_models
        ]
        return queryset.filter(reduce(or_, conditions))

    @staticmethod
    def _body(types):
        """The municipality of each entry's record: by its scope's lookups while it exists,
        by its GallringRecord once it has been removed."""
        whens = []
        for model, content_type in types.items():
            if isinstance(model._meta.pk, models.IntegerField):
                rows = model._default_manager.order_by().filter(
                    pk=Cast(OuterRef("object_id"), output_field=BigIntegerField())
                )
            else:
                rows = (
                    model._default_manager.order_by()
                    .annotate(audit_id=Cast("pk", CharField()))
                    .filter(audit_id=OuterRef("object_id"))
                )
            found = [
                Subquery(rows.values(path)[:1], output_field=IntegerField())
                for path in access.scope_of(model).bodies
            ]
            found.append(
                Subquery(
                    GallringRecord.objects.filter(
                        model_label=model._meta.label, object_id=OuterRef("object_id")
                    ).values("body_id")[:1],
                    output_field=IntegerField(),
                )
            )
            whens.append(When(content_type_id=content_type.pk, then=Coalesce(*found)))
        return Case(*whens, default=Value(None), output_field=IntegerField())

    def record_types(self):
        types = _content_types(scoped_models())
        return [
            (
                f"{model._meta.app_label}.{model._meta.model_name}",
                capfirst(model._meta.verbose_name),
            )
            for model in types
        ]

    def of_type(self, queryset, key):
        try:
            model = apps.get_model(key)
        except (LookupError, ValueError):
            return queryset.none()
        return queryset.filter(
            content_type=ContentType.objects.get_for_model(model, for_concrete_model=False)
        )

    def decorate(self, queryset):
        removed = ModelLogEntry.objects.filter(
            action=GALLRA_ACTION,
            content_type_id=OuterRef("content_type_id"),
            object_id=OuterRef("object_id"),
        )
        return (
            super()
            .decorate(queryset)
            .annotate(
                audit_removed=Exists(removed),
                audit_body_id=self._body(_content_types(scoped_models())),
            )
        )

    def record_url(self, entry, user):
        model = entry.content_type.model_class() if entry.content_type_id else None
        viewset = getattr(model, "snippet_viewset", None)
        if viewset is None or entry.audit_removed:
            return None
        # The entry is in the user's reach by construction: only the model-wide permission
        # is left to ask (no query per row).
        policy = policy_registry.get_by_type(model)
        if policy.user_has_permission(user, "change"):
            return reverse(viewset.get_url_name("edit"), args=[quote(entry.object_id)])
        if viewset.inspect_view_enabled and policy.user_has_permission(user, "view"):
            return reverse(viewset.get_url_name("inspect"), args=[quote(entry.object_id)])
        return None


def sources() -> list[AuditSource]:
    return [RecordSource(), *(make() for make in hooks.get_hooks(SOURCES_HOOK))]


@dataclass(frozen=True)
class AuditFilter:
    """What a reader narrows the log to; every part optional."""

    since: date | None = None
    until: date | None = None
    user_id: int | None = None
    action: str = ""
    record_type: str = ""

    def apply(self, source: AuditSource, queryset: QuerySet) -> QuerySet:
        if self.since:
            queryset = queryset.filter(timestamp__date__gte=self.since)
        if self.until:
            queryset = queryset.filter(timestamp__date__lte=self.until)
        if self.user_id:
            queryset = queryset.filter(user_id=self.user_id)
        if self.action:
            queryset = queryset.filter(action=self.action)
        if self.record_type:
            queryset = source.of_type(queryset, self.record_type)
        return queryset


def can_read_log(user) -> bool:
    """The secretariat and auditors read their municipality's log; superusers everyone's."""
    you = access.reach(user)
    return you.everything or bool(you.bodies)


def audit_log(user, audit_filter: AuditFilter | None = None) -> QuerySet:
    """The entries `user` may read, newest first, as rows of `id`, `timestamp` and
    `audit_source` (the index of its source): one query for a page of them, another for the
    paginator's count. Pass a page of it to `audit_rows`."""
    audit_filter = audit_filter or AuditFilter()
    combined = None
    for index, source in enumerate(sources()):
        queryset = (
            audit_filter.apply(source, source.entries(user))
            .annotate(audit_source=Value(index, output_field=IntegerField()))
            .values("id", "timestamp", "audit_source")
            .order_by()
        )
        # The source index keeps rows of two sources apart: no deduplication needed.
        combined = queryset if combined is None else combined.union(queryset, all=True)
    return combined.order_by("-timestamp", "-id")


def log_users(user) -> QuerySet:
    """The people who appear in the log `user` may read, for the filter (one query)."""
    User = get_user_model()
    appearing = reduce(
        or_,
        (Q(pk__in=source.entries(user).order_by().values("user_id")) for source in sources()),
    )
    return User.objects.filter(appearing).order_by(User.USERNAME_FIELD)


def record_types() -> list[tuple[str, str]]:
    choices = [choice for source in sources() for choice in source.record_types()]
    return sorted(choices, key=lambda choice: str(choice[1]))


@dataclass
class Change:
    """One line of an entry's before/after: a field with its old and new value, or one item
    of a lifecycle entry's data (no old value)."""

    label: str
    new: str
    old: str | None = None

    def __str__(self):
        if self.old is None:
            return f"{self.label}: {self.new}"
        return f"{self.label}: {self.old} → {self.new}"


@dataclass
class AuditRow:
    timestamp: object
    user: str
    body: str
    record_type: str
    record: str
    record_id: str
    record_url: str | None
    action: str
    action_code: str
    changes: list[Change] = field(default_factory=list)


def audit_rows(user, rows: Iterable[dict]) -> list[AuditRow]:
    """A page of `audit_log(user)` as the reader sees it, in the same order. Queries: one per
    source for its entries with their revisions, one for the previous revisions, one for the
    municipalities' names and one per kind of record a changed reference points to."""
    rows = list(rows)
    all_sources = sources()
    ids = defaultdict(list)
    for row in rows:
        ids[row["audit_source"]].append(row["id"])
    entries = {}
    for index, pks in ids.items():
        source = all_sources[index]
        queryset = source.decorate(source.log_model.objects.filter(pk__in=pks)).annotate(
            audit_previous_id=Revision.objects.previous_revision_id_subquery()
        )
        for entry in queryset:
            entries[index, entry.pk] = entry
    previous_ids = {e.audit_previous_id for e in entries.values() if e.audit_previous_id}
    previous = Revision.objects.only("id", "content").in_bulk(previous_ids)
    body_ids = {entry.audit_body_id for entry in entries.values() if entry.audit_body_id}
    bodies = Body.objects.only("id", "name").in_bulk(body_ids) if body_ids else {}

    explained = []
    references = References()
    for row in rows:
        index = row["audit_source"]
        entry = entries.get((index, row["id"]))
        if entry is None:
            continue
        model = entry.content_type.model_class() if entry.content_type_id else None
        body = bodies.get(entry.audit_body_id)
        explained.append(
            AuditRow(
                timestamp=entry.timestamp,
                user=str(entry.user_display_name),
                body=body.name if body else "",
                record_type=capfirst(model._meta.verbose_name) if model else "",
                record=entry.label,
                record_id=str(all_sources[index].record_id(entry)),
                record_url=all_sources[index].record_url(entry, user),
                action=str(log_action_registry.get_action_label(entry.action)),
                action_code=entry.action,
                changes=_changes(entry, model, previous, references),
            )
        )
    references.resolve()
    return explained


class References:
    """The related records a page's changes name by id, looked up together: one query per
    kind of related record, however many rows name one."""

    def __init__(self):
        self.wanted = defaultdict(set)
        self.pending = []  # (change, related model)

    def later(self, change, related_model):
        for value in (change.old, change.new):
            self.wanted[related_model].update(value if isinstance(value, list) else [value])
        self.pending.append((change, related_model))

    def resolve(self):
        found = {
            model: model._default_manager.in_bulk([pk for pk in ids if pk is not None])
            for model, ids in self.wanted.items()
        }

        def name(model, value):
            if value in (None, []):
                return "–"
            if isinstance(value, list):
                return _short(", ".join(name(model, pk) for pk in value))
            row = found[model].get(value)
            return _short(str(row)) if row is not None else f"#{value}"

        for change, model in self.pending:
            change.old, change.new = name(model, change.old), name(model, change.new)


def _changes(entry, model, previous, references) -> list[Change]:
    changes = []
    if entry.revision_id and entry.revision is not None and entry.audit_previous_id:
        before = previous.get(entry.audit_previous_id)
        if before is not None and model is not None:
            changes += _compare(model, before.content, entry.revision.content, references)
    if not entry.action.startswith("wagtail.") and entry.data:
        for key, value in entry.data.items():
            changes.append(Change(_label(model, key), _text(value)))
    elif entry.action.startswith("wagtail.") and (comment := entry.comment):
        changes.append(Change(_("Comment"), _short(str(comment))))
    return changes


def _compare(model, old: dict, new: dict, references: References) -> list[Change]:
    changes = []
    for key in new.keys() | old.keys():
        if key in BOOKKEEPING or old.get(key) == new.get(key):
            continue
        try:
            model_field = model._meta.get_field(key)
        except Exception:
            model_field = None
        if model_field is not None and model_field.concrete and not model_field.editable:
            continue  # derived (a status, a deadline): set by a service, logged by it
        label = _label(model, key)
        was, now = old.get(key), new.get(key)
        if model_field is not None and model_field.concrete and model_field.is_relation:
            # A reference by id (or a list of ids): named once the page's are looked up.
            change = Change(label, new=now, old=was)
            references.later(change, model_field.related_model)
        else:
            change = Change(label, _text(now, model_field), _text(was, model_field))
        changes.append(change)
    return sorted(changes, key=lambda change: change.label)


# The keys lifecycle entries keep in their data (motions.services, motions.gallring).
DATA_LABELS = {
    "date": gettext_lazy("date"),
    "reason": gettext_lazy("reason"),
    "legal_ground": gettext_lazy("legal ground"),
    "case_number": gettext_lazy("case number"),
    "decision_reference": gettext_lazy("gallringsbeslut"),
    "decided_on": gettext_lazy("date of the gallringsbeslut"),
}


def _label(model, key: str) -> str:
    if key in DATA_LABELS:
        return capfirst(str(DATA_LABELS[key]))
    try:
        model_field = model._meta.get_field(key) if model else None
    except Exception:
        model_field = None
    if model_field is None:
        return capfirst(key.replace("_", " "))
    if model_field.is_relation and model_field.auto_created:
        return capfirst(model_field.related_model._meta.verbose_name_plural)
    return capfirst(str(model_field.verbose_name))


def _short(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(SHORT)


def _text(value, model_field=None) -> str:
    """A stored value as a reader reads it: choices by their label, rich text without its
    tags, child rows by their text, long text shortened."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = getattr(model_field, "flatchoices", None)
    if choices and not isinstance(value, list | dict):
        return _short(str(dict(choices).get(value, value)))
    if isinstance(value, list):
        return _short("; ".join(_row_text(item) for item in value))
    if isinstance(value, dict):
        return _short(", ".join(f"{key}: {_row_text(item)}" for key, item in value.items()))
    text = str(value)
    return _short(strip_tags(text) if "<" in text else text)


def _row_text(item) -> str:
    """A child row (a clause, a submitter) by the first text it holds."""
    if isinstance(item, dict):
        for key in ("text", "title", "name", "label", "value"):
            if item.get(key):
                return strip_tags(str(item[key]))
        shown = [str(v) for k, v in item.items() if k not in BOOKKEEPING and v not in (None, "")]
        return ", ".join(shown)
    return strip_tags(str(item))
