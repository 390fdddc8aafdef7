"""FilterSets shared by the public lists, the exports and the API: a filter means the same everywhere.

Filters that reach across a relation use `EXISTS` subqueries rather than joins, so a
motion never appears twice and no `DISTINCT` is needed; keyset pagination stays cheap.

The parameter fields here are the one rule for every public parameter (lists, search, page
numbers, feeds, exports, the API): a bad value is a form error, never a database error."""

import re
from datetime import timedelta

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    Area,
    Body,
    DecisionClauseOutcome,
    Motion,
    MotionKind,
    MotionResult,
    MotionStatus,
    Organ,
    Outcome,
    Party,
    Person,
    Submitter,
    Topic,
)
from .queries import DecisionQuerySet

# PostgreSQL's `integer`, the narrowest column a number parameter reaches (years, page numbers).
DB_INT_MAX = 2**31 - 1
SLUG_MAX_LENGTH = 80  # the longest slug any record has (motions, commitments, action plans)
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"  # Django's slug, as the API's JSON Schema also writes it
REPEATED = _("Given more than once: choose one value.")


def whole_number(value: str) -> int | None:
    """`value` as a whole number in ASCII digits within the database's integer, or None."""
    value = value.strip()
    if value.isascii() and value.isdigit() and len(value) <= len(str(DB_INT_MAX)):
        return int(value)
    return None


class WholeNumberField(forms.IntegerField):
    """A whole number in ASCII digits, within `min_value`..`max_value` (at most DB_INT_MAX).

    Django's IntegerField also reads "٢٠٢٤" (Arabic-Indic digits) and "2024.0"; `str.isdigit()`
    passes "²", which `int()` then refuses; a number past the database's range fails in the query."""

    def __init__(self, *, min_value=0, max_value=DB_INT_MAX, **kwargs):
        super().__init__(min_value=min_value, max_value=min(max_value, DB_INT_MAX), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = whole_number(str(value))
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class WholeNumberFilter(django_filters.Filter):
    field_class = WholeNumberField


def is_slug(value: str) -> bool:
    """Could `value` be a slug? A value that cannot names no row and is not sent to the
    database: PostgreSQL fails on a NUL byte in a query instead of finding nothing."""
    return len(value) <= SLUG_MAX_LENGTH and bool(re.fullmatch(SLUG_PATTERN, value))


def repeated(params, names) -> list[str]:
    """The names given more than once in a QueryDict (a plain dict holds one value a name)."""
    if not hasattr(params, "getlist"):
        return []
    return [name for name in names if len(params.getlist(name)) > 1]


class ParameterForm(forms.Form):
    """The form of every public parameter set: a parameter given twice is a form error, not a
    silent choice of the last one (`?year=2020&year=2021` asks two things at once)."""

    def clean(self):
        for name in repeated(self.data, self.fields):
            self.add_error(name, REPEATED)
        return super().clean()


class SlugChoiceField(django_filters.fields.ModelChoiceField):
    """The rows of `queryset` a slug names, as a list. Slugs are unique within a municipality
    only: scoped to one (the queryset is its rows) the list holds one row; across all of them,
    one per municipality that has the slug. A slug that names nothing is a form error."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value)
        rows = list(self.queryset.filter(**{self.to_field_name: value})) if is_slug(value) else []
        if not rows:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return rows


class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """Filter by a slug: `<field_name>__in` the rows it names (see SlugChoiceField).

    A FilterSet that takes `body` narrows the filter's queryset to that municipality."""

    field_class = SlugChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, **kwargs)


class DeadlineFlag:
    APPROACHING = "approaching"
    OVERDUE = "overdue"
    NEEDS_REPORT = "needs_report"
    choices = [
        (APPROACHING, _("deadline approaching")),
        (OVERDUE, _("overdue (over one year)")),
        (NEEDS_REPORT, _("overdue and not reported to the council")),
    ]


class MotionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Text"), max_length=200)
    year = WholeNumberFilter(
        field_name="submitted_on",
        lookup_expr="year",
        label=_("Year"),
        min_value=1900,
        max_value=2100,
    )
    submitted_after = django_filters.DateFilter(
        field_name="submitted_on",
        lookup_expr="gte",
        label=_("Submitted from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_on",
        lookup_expr="lte",
        label=_("Submitted until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    kind = django_filters.ChoiceFilter(
        choices=MotionKind.choices, label=_("Kind"), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        choices=MotionStatus.choices, label=_("Status"), empty_label=_("All")
    )
    result = django_filters.ChoiceFilter(
        choices=[c for c in MotionResult.choices if c[0]], label=_("Result"), empty_label=_("All")
    )
    outcome = django_filters.ChoiceFilter(
        choices=Outcome.choices,
        method="filter_outcome",
        label=_("A clause decided as"),
        empty_label=_("All"),
    )
    party = SlugChoiceFilter(
        queryset=Party.objects.none(),
        method="filter_party",
        label=_("Party"),
        empty_label=_("All"),
    )
    # A text field, not a select: a municipality has hundreds of members (and no query to list them).
    submitter = SlugChoiceFilter(
        queryset=Person.objects.none(),
        method="filter_submitter",
        label=_("Submitted by (member's id)"),
        widget=forms.TextInput,
    )
    organ = SlugChoiceFilter(
        queryset=Organ.objects.none(),
        method="filter_organ",
        label=_("Organ"),
        empty_label=_("All"),
    )
    topic = SlugChoiceFilter(
        queryset=Topic.objects.all(),
        method="filter_topic",
        label=_("Topic"),
        empty_label=_("All"),
    )
    area = SlugChoiceFilter(
        queryset=Area.objects.none(),
        method="filter_area",
        label=_("Area"),
        empty_label=_("All"),
    )
    deadline = django_filters.ChoiceFilter(
        choices=DeadlineFlag.choices,
        method="filter_deadline",
        label=_("Deadline"),
        empty_label=_("All"),
    )

    class Meta:
        model = Motion
        form = ParameterForm
        fields = [
            "q",
            "year",
            "submitted_after",
            "submitted_before",
            "kind",
            "status",
            "result",
            "outcome",
            "party",
            "submitter",
            "organ",
            "topic",
            "area",
            "deadline",
        ]

    def __init__(self, *args, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, model in (
            ("party", Party),
            ("submitter", Person),
            ("organ", Organ),
            ("area", Area),
        ):
            self.filters[name].queryset = (
                model.objects.filter(body=body) if body else model.objects.all()
            )

    def filter_text(self, queryset, name, value):
        """A plain substring match on title and case number; ranked full text lives on /sok/."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(case_number__icontains=value))

    def filter_outcome(self, queryset, name, value):
        decided = DecisionClauseOutcome.objects.filter(
            DecisionQuerySet.public_rule("decision__"),
            decision__motion=OuterRef("pk"),
            outcome=value,
        )
        return queryset.filter(Exists(decided))

    def filter_party(self, queryset, name, value):
        return queryset.by_party(value)

    def filter_submitter(self, queryset, name, value):
        return queryset.filter(
            Exists(Submitter.objects.filter(motion=OuterRef("pk"), person__in=value))
        )

    def filter_organ(self, queryset, name, value):
        """Motions an organ prepared, as on its page."""
        return queryset.by_organ(value)

    def filter_topic(self, queryset, name, value):
        return queryset.filter(
            Exists(Motion.topics.through.objects.filter(motion=OuterRef("pk"), topic__in=value))
        )

    def filter_area(self, queryset, name, value):
        return queryset.by_area(value)

    def filter_deadline(self, queryset, name, value):
        """Open motions past their one-year deadline (and of those, the ones still owing the 5:35
        report), or within their municipality's warning window."""
        today = timezone.localdate()
        still_open = queryset.undecided().filter(deadline_on__isnull=False)
        if value == DeadlineFlag.OVERDUE:
            return still_open.filter(deadline_on__lt=today)
        if value == DeadlineFlag.NEEDS_REPORT:
            return queryset.needs_report(today)
        # Each municipality sets its own warning window: one small query for the windows.
        windows = Q(pk__in=[])
        for body_id, days in Body.objects.values_list("pk", "approaching_window_days"):
            windows |= Q(body_id=body_id, deadline_on__lte=today + timedelta(days=days))
        return still_open.filter(deadline_on__gte=today).filter(windows)
