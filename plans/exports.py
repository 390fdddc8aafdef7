"""Downloads of the filtered commitment list (the tracker) as CSV, XLSX and JSON."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motions.exports import respond
from motions.models import Body

from .api import COMMITMENT_KEYSET, commitments_for_list
from .filters import CommitmentFilter

COLUMNS = [
    ("title", gettext_lazy("Commitment"), lambda c: c.title),
    ("responsible_organ", gettext_lazy("Responsible organ"), lambda c: c.responsible_organ.name),
    ("target_year", gettext_lazy("Target year"), lambda c: c.target_year),
    ("status", gettext_lazy("Status"), lambda c: c.get_current_status_display()),
    ("progress", gettext_lazy("Progress (%)"), lambda c: c.current_progress),
    ("last_followup_on", gettext_lazy("Last follow-up"), lambda c: c.last_followup_on),
    ("decision", gettext_lazy("Decision"), lambda c: str(c.decision)),
    ("url", gettext_lazy("Address"), None),
]


def commitment_export(request, body, fmt):
    body = get_object_or_404(Body, slug=body)
    return respond(
        request,
        fmt,
        CommitmentFilter,
        commitments_for_list().filter(body=body),
        body=body,
        columns=COLUMNS,
        keyset=COMMITMENT_KEYSET,
        name="ataganden",
        sheet_title=_("Commitments"),
    )


urlpatterns = [
    path("<slug:body>/ataganden.<str:fmt>", commitment_export, name="export-commitments"),
]
