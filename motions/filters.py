"""FilterSets shared by the public lists (and later the exports and the API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Motion, MotionResult, MotionStatus, Party


class MotionFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="submitted_on", lookup_expr="year", label=_("Year"))
    status = django_filters.ChoiceFilter(choices=MotionStatus.choices, label=_("Status"), empty_label=_("All"))
    result = django_filters.ChoiceFilter(
        choices=[c for c in MotionResult.choices if c[0]], label=_("Result"), empty_label=_("All")
    )
    party = django_filters.ModelChoiceFilter(
        field_name="submitters__party",
        to_field_name="slug",
        queryset=Party.objects.none(),
        label=_("Party"),
        empty_label=_("All"),
        distinct=True,
    )

    class Meta:
        model = Motion
        fields = ["year", "status", "result", "party"]

    def __init__(self, *args, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["party"].queryset = Party.objects.filter(body=body) if body else Party.objects.all()
        self.filters["year"].field.widget.attrs.update({"min": 1900, "max": 2100})
