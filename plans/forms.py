"""Admin forms that validate a record together with its inline rows. Each is a
`PublicRecordForm`: what it publishes is checked for personal identity numbers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motions.forms import PublicRecordForm


def _live_rows(formset):
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class FollowUpForm(PublicRecordForm):
    """Counts the inline evidence links towards the status rules, records the author, and
    takes indicator values only of the commitment's own indicators."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        formset = self.formsets.get("indicator_values")
        commitment = self.instance.commitment if self.instance.commitment_id else None
        if formset is not None and commitment is not None:
            # The officer's reachable indicators (ScopedFormMixin), of this commitment only.
            for form in [*formset.forms, formset.empty_form]:
                field = form.fields.get("indicator")
                if field is not None:
                    field.queryset = field.queryset.filter(commitments=commitment)

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("evidence_links")
        if formset is not None and formset.is_valid():
            self.instance.evidence_in_form = bool(_live_rows(formset))
        self._check_indicator_values(cleaned.get("commitment"))
        return cleaned

    def _check_indicator_values(self, commitment):
        formset = self.formsets.get("indicator_values")
        if formset is None or not formset.is_valid():
            return
        rows = [form for form in formset.forms if form.cleaned_data.get("indicator")]
        rows = [form for form in rows if not form.cleaned_data.get("DELETE")]
        if not rows:
            return
        allowed = set(commitment.indicators.values_list("pk", flat=True)) if commitment else set()
        for form in rows:
            if form.cleaned_data["indicator"].pk not in allowed:
                form.add_error(
                    "indicator", _("Report values only of the commitment's own indicators.")
                )
        if any(form.errors for form in rows):
            self.add_error(None, _("Some indicator values do not fit the commitment; see below."))

    def save(self, commit=True):
        if not self.instance.author_id and self.for_user and self.for_user.is_authenticated:
            self.instance.author = self.for_user
        return super().save(commit=commit)


class CommitmentForm(PublicRecordForm):
    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body")
        for organ in cleaned.get("co_responsible") or ():
            if body and organ.body_id != body.pk:
                self.add_error(
                    "co_responsible",
                    ValidationError(_("The organ belongs to another municipality.")),
                )
                break
        return cleaned


class IndicatorForm(PublicRecordForm):
    """Each measurement must be in the indicator's unit and not before its baseline year."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("measurements")
        if formset is None or not formset.is_valid():
            return cleaned
        unit, baseline_year = (cleaned.get("unit") or "").strip(), cleaned.get("baseline_year")
        for form in formset.forms:
            row = form.cleaned_data
            if not row or row.get("DELETE"):
                continue
            if unit and row.get("unit", "").strip() != unit:
                form.add_error(
                    "unit",
                    _("The indicator is measured in %(unit)s; convert the value.") % {"unit": unit},
                )
            if baseline_year and row.get("year") and row["year"] < baseline_year:
                form.add_error(
                    "year",
                    _("A measurement cannot be before the baseline year (%(year)s).")
                    % {"year": baseline_year},
                )
        if any(form.errors for form in formset.forms):
            self.add_error(None, _("Some measurements do not fit the indicator; see below."))
        return cleaned


class ActionPlanForm(PublicRecordForm):
    """An action that has follow-ups is part of the record: it can be closed, not removed."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("actions")
        if formset is None or not formset.is_valid():
            return cleaned
        removed = [form.instance.pk for form in formset.deleted_forms if form.instance.pk]
        if removed:
            from .models import FollowUp

            reported = FollowUp.objects.filter(action_id__in=removed).values_list(
                "action__title", flat=True
            )
            for title in sorted(set(reported)):
                self.add_error(
                    None,
                    ValidationError(
                        _(
                            "The action “%(title)s” has follow-ups and cannot be removed; "
                            "give it a final status instead."
                        )
                        % {"title": title}
                    ),
                )
        return cleaned
