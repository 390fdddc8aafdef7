"""Downloads of the filtered commitment list (the tracker) as CSV, XLSX and JSON.

Read as plain values in keyset batches, like the motion exports (`cms.exports.motions`): two
queries per batch, the commitments and the decided outcomes of the clauses they come from."""

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.routing import record_urls
from cms.sites import body_for_request
from motions.models import Decision, DecisionClauseOutcome, Meeting, Outcome
from plans.filters import CommitmentFilter
from plans.models import Commitment
from plans.status import Status

from ..api.plans import COMMITMENT_KEYSET
from .writers import choice_labels, respond

COLUMNS = [
    ("title", gettext_lazy("Commitment")),
    ("responsible_organ", gettext_lazy("Responsible organ")),
    ("target_year", gettext_lazy("Target year")),
    ("status", gettext_lazy("Status")),
    ("progress", gettext_lazy("Progress (%)")),
    ("last_followup_on", gettext_lazy("Last follow-up")),
    ("decision", gettext_lazy("Decision")),
    ("motion", gettext_lazy("Motion")),
    ("clause", gettext_lazy("Clause")),
    ("clause_outcome", gettext_lazy("Decided outcome of the clause")),
    ("url", gettext_lazy("Address")),
]
FIELDS = [
    "id",
    "slug",
    "title",
    "responsible_organ__name",
    "target_year",
    "current_status",
    "current_progress",
    "last_followup_on",
    "decision__paragraph",
    "decision__title",
    "decision__meeting__date",
    "decision__meeting__organ__abbreviation",
    "decision__meeting__organ__name",
    "decision_id",
    "decision__motion__case_number",
    "clause_number",
]


def finish_commitments(request, body):
    """Completes a batch of commitment rows in place: address, status label and decision."""
    url = record_urls("commitment", body.pk, request=request)
    statuses, outcomes = choice_labels(Status), choice_labels(Outcome)

    def finish(batch):
        decided = {
            (decision_id, number): outcome
            for decision_id, number, outcome in DecisionClauseOutcome.objects.filter(
                decision_id__in={row["decision_id"] for row in batch if row["clause_number"]}
            ).values_list("decision_id", "clause_number", "outcome")
        }
        for row in batch:
            row["motion"] = row["decision__motion__case_number"] or ""
            row["clause"] = row["clause_number"]
            outcome = decided.get((row["decision_id"], row["clause_number"]), "")
            row["clause_outcome"] = outcomes.get(outcome, outcome)
            row["responsible_organ"] = row["responsible_organ__name"]
            row["status"] = statuses.get(row["current_status"], row["current_status"])
            row["progress"] = row["current_progress"]
            meeting = Meeting.label(
                organ_abbreviation=row["decision__meeting__organ__abbreviation"],
                organ_name=row["decision__meeting__organ__name"],
                date=row["decision__meeting__date"],
            )
            row["decision"] = Decision.label(
                paragraph=row["decision__paragraph"], meeting=meeting, title=row["decision__title"]
            )
            row["url"] = url(row["slug"]) or ""

    return finish


def commitment_export(request, body, fmt):
    body = body_for_request(request, body)  # a municipality's site: its own only
    return respond(
        request,
        fmt,
        CommitmentFilter,
        Commitment.objects.published().filter(body=body),
        body=body,
        fields=FIELDS,
        finisher=finish_commitments,
        columns=COLUMNS,
        keyset=COMMITMENT_KEYSET,
        name="ataganden",
        sheet_title=_("Commitments"),
    )


urlpatterns = [
    path("<slug:body>/ataganden.<str:fmt>", commitment_export, name="export-commitments"),
]
