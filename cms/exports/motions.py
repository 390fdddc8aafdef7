"""Downloads of the filtered motion list as CSV, XLSX and JSON, with the page's columns.

Rows are read as plain values (`.values()`, no model instances) in keyset batches, seven
queries per batch (motions, submitters, clauses, decisions, decided and proposed outcomes,
commitments), so 100,000 rows leave the server without
ever being held in memory at once. What the rows share, the index page's address and the
translated choice labels, is looked up once per download, not once per row."""

from collections.abc import Callable

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.routing import record_urls
from cms.sites import body_for_request
from motions.filters import MotionFilter
from motions.models import Motion, MotionKind, MotionResult, MotionStatus
from motions.selectors import DecisionCells, decision_cells, submitter_names
from plans.selectors import commitment_cells

from ..api.motions import MOTION_KEYSET
from .writers import choice_labels, respond

# Each column is a key of the finished row dict (and of the JSON objects) and its heading.
COLUMNS = [
    ("case_number", gettext_lazy("Case number")),
    ("title", gettext_lazy("Title")),
    ("submitted_by", gettext_lazy("Submitted by")),
    ("submitted_on", gettext_lazy("Submitted")),
    ("kind", gettext_lazy("Kind")),
    ("status", gettext_lazy("Status")),
    ("result", gettext_lazy("Result")),
    ("decided_on", gettext_lazy("Decided")),
    ("deadline_on", gettext_lazy("Decision due by")),
    ("clause_outcomes", gettext_lazy("Outcome per clause")),
    ("decision_paragraph", gettext_lazy("Decision §")),
    ("decision_meeting", gettext_lazy("Decision meeting")),
    ("commitments", gettext_lazy("Commitments (status)")),
    ("url", gettext_lazy("Address")),
]
# What is read for each motion; `finish_motions` turns it into the columns.
FIELDS = [
    "id",
    "slug",
    "case_number",
    "title",
    "submitted_on",
    "kind",
    "status",
    "result",
    "decided_on",
    "deadline_on",
]


def finish_motions(request, body) -> Callable[[list[dict]], None]:
    """Completes a batch of motion rows in place: submitters, clause outcomes, decision and
    commitments (a fixed number of queries), address and labels."""
    url = record_urls("motion", body.pk, request=request)
    kinds, statuses = choice_labels(MotionKind), choice_labels(MotionStatus)
    results = choice_labels(MotionResult) | {"": ""}  # undecided is an empty cell

    def finish(batch):
        ids = [row["id"] for row in batch]
        names, decisions, commitments = (
            submitter_names(ids),
            decision_cells(ids),
            commitment_cells(ids),
        )
        for row in batch:
            row["submitted_by"] = names.get(row["id"], "")
            decided = decisions.get(row["id"]) or DecisionCells()
            row["clause_outcomes"] = decided.clause_outcomes
            row["decision_paragraph"] = decided.paragraph
            row["decision_meeting"] = decided.meeting
            row["commitments"] = commitments.get(row["id"], "")
            row["kind"] = kinds.get(row["kind"], row["kind"])
            row["status"] = statuses.get(row["status"], row["status"])
            row["result"] = results.get(row["result"], row["result"])
            row["url"] = url(row["slug"]) or ""

    return finish


def motion_export(request, body, fmt):
    """The motion list of one municipality, filtered exactly as the page is, in `fmt`."""
    body = body_for_request(request, body)  # a municipality's site: its own only
    return respond(
        request,
        fmt,
        MotionFilter,
        Motion.objects.published().for_body(body),
        body=body,
        fields=FIELDS,
        finisher=finish_motions,
        columns=COLUMNS,
        keyset=MOTION_KEYSET,
        name="motioner",
        sheet_title=_("Motions"),
    )


urlpatterns = [
    path("<slug:body>/motioner.<str:fmt>", motion_export, name="export-motions"),
]
