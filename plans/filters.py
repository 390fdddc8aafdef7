"""FilterSets for commitments, shared by the public tracker and the admin (and later the API)."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from motions.filters import ParameterForm, SlugChoiceFilter, WholeNumberFilter
from motions.models import Area, Body, Organ, Party, Submitter
from motions.scoping import ScopedFilterSetMixin

from .models import ActionPlan, Commitment, FollowUp
from .status import Flag, Status, flag_q


def _flag_filter(queryset, name, value):
    return queryset.filter(flag_q(value)) if value else queryset


def _party_filter(queryset, name, parties):
    """Commitments from decisions on motions the party's members submitted."""
    if not parties:
        return queryset
    submitted = Submitter.objects.filter(
        motion_id=OuterRef("decision__motion_id"), party__in=parties
    )
    return queryset.filter(Exists(submitted))


class CommitmentFilter(django_filters.FilterSet):
    """The public list: status, target year, organ, area and the derived flags."""

    status = django_filters.ChoiceFilter(
        field_name="current_status", choices=Status.choices, label=_("Status"), empty_label=_("All")
    )
    target_year = WholeNumberFilter(
        field_name="target_year", label=_("Target year"), min_value=1900, max_value=2100
    )
    organ = SlugChoiceFilter(
        field_name="responsible_organ",
        queryset=Organ.objects.none(),
        label=_("Responsible organ"),
        empty_label=_("All"),
    )
    area = SlugChoiceFilter(
        field_name="areas",
        queryset=Area.objects.none(),
        label=_("Area"),
        empty_label=_("All"),
        distinct=True,
    )
    flag = django_filters.ChoiceFilter(
        choices=Flag.choices, method=_flag_filter, label=_("Flag"), empty_label=_("All")
    )
    plan = SlugChoiceFilter(
        field_name="action_plan",
        queryset=ActionPlan.objects.none(),
        label=_("Action plan"),
        empty_label=_("All"),
    )
    party = SlugChoiceFilter(
        queryset=Party.objects.none(),
        method=_party_filter,
        label=_("Party of the motion"),
        empty_label=_("All"),
    )

    class Meta:
        model = Commitment
        form = ParameterForm
        fields = ["status", "target_year", "organ", "area", "flag", "plan", "party"]

    def __init__(self, *args, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        organs = Organ.objects.filter(body=body) if body else Organ.objects.all()
        areas = Area.objects.filter(body=body) if body else Area.objects.all()
        self.filters["organ"].queryset = organs.only("name", "slug", "body_id")
        self.filters["area"].queryset = areas.only("name", "slug", "body_id")
        plans = ActionPlan.objects.published()
        parties = Party.objects.filter(body=body) if body else Party.objects.all()
        self.filters["plan"].queryset = (plans.filter(body=body) if body else plans).only(
            "title", "slug"
        )
        self.filters["party"].queryset = parties.only("name", "abbreviation", "slug", "body_id")


class CommitmentAdminFilter(ScopedFilterSetMixin, WagtailFilterSet):
    """The admin's list: its municipalities and organs are the signed-in user's."""

    body = django_filters.ModelChoiceFilter(queryset=Body.objects.all(), label=_("Municipality"))
    current_status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"))
    responsible_organ = django_filters.ModelChoiceFilter(
        queryset=Organ.objects.select_related("body"), label=_("Responsible organ")
    )
    target_year = WholeNumberFilter(label=_("Target year"))
    flag = django_filters.ChoiceFilter(choices=Flag.choices, method=_flag_filter, label=_("Flag"))

    class Meta:
        model = Commitment
        fields = ["body", "current_status", "responsible_organ", "target_year", "flag", "live"]


class FollowUpAdminFilter(ScopedFilterSetMixin, WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"))
    organ = django_filters.ModelChoiceFilter(
        field_name="commitment__responsible_organ",
        queryset=Organ.objects.select_related("body"),
        label=_("Responsible organ"),
    )
    target_year = WholeNumberFilter(field_name="commitment__target_year", label=_("Target year"))

    class Meta:
        model = FollowUp
        fields = ["status", "organ", "target_year", "period_kind", "live"]
