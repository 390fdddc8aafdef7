"""Admin forms that validate a record together with its inline rows."""

from wagtail.admin.forms import WagtailAdminModelForm

from .rules import clause_coverage_errors, party_vote_errors


def _live_rows(formset):
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class OutcomesFormMixin:
    """Every clause of the chosen motion gets exactly one outcome."""

    outcomes_relation = ""

    def clean_outcomes(self, motion):
        formset = self.formsets.get(self.outcomes_relation)
        if motion is None or formset is None or not formset.is_valid():
            return
        numbers = [row["clause_number"] for row in _live_rows(formset)]
        for error in clause_coverage_errors(
            clause_count=motion.clauses.count(), clause_numbers=numbers
        ):
            self.add_error(None, error)


class DecisionForm(OutcomesFormMixin, WagtailAdminModelForm):
    outcomes_relation = "clause_outcomes"

    def clean(self):
        cleaned = super().clean()
        self.clean_outcomes(cleaned.get("motion"))
        votes = self.formsets.get("party_votes")
        if votes is not None and votes.is_valid() and not self.errors:
            for field in (
                "vote_method",
                "votes_for",
                "votes_against",
                "votes_abstaining",
                "votes_absent",
            ):
                setattr(self.instance, field, cleaned.get(field))
            for error in party_vote_errors(self.instance, _live_rows(votes)):
                self.add_error(None, error)
        return cleaned


class ProposalForm(OutcomesFormMixin, WagtailAdminModelForm):
    outcomes_relation = "outcomes"

    def clean(self):
        cleaned = super().clean()
        self.clean_outcomes(cleaned.get("motion"))
        return cleaned
