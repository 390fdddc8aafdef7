"""Downloads of the filtered motion list as CSV, XLSX and JSON, with the page's columns.

Rows are read as plain values (`.values()`, no model instances) in keyset batches, two
queries per batch (motions and their submitters), so 100,000 rows leave the server without
ever being held in memory at once. What the rows share, the index page's address and the
translated choice labels, is looked up once per download, not once per row."""

import csv
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.routing import record_urls

from .api import MOTION_KEYSET, Keyset
from .filters import MotionFilter
from .models import Body, Motion, MotionKind, MotionResult, MotionStatus
from .selectors import submitter_names

BATCH_SIZE = 1000
FORMATS = {"csv", "xlsx", "json"}
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

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


def choice_labels(choices) -> dict:
    """value -> label in the active language, as `get_FOO_display()` gives it, translated once."""
    return {value: str(label) for value, label in choices.choices}


def finish_motions(request, body) -> Callable[[list[dict]], None]:
    """Completes a batch of motion rows in place: submitters (one query), address and labels."""
    url = record_urls("motion", body.pk, request=request)
    kinds, statuses = choice_labels(MotionKind), choice_labels(MotionStatus)
    results = choice_labels(MotionResult) | {"": ""}  # undecided is an empty cell

    def finish(batch):
        names = submitter_names([row["id"] for row in batch])
        for row in batch:
            row["submitted_by"] = names.get(row["id"], "")
            row["kind"] = kinds.get(row["kind"], row["kind"])
            row["status"] = statuses.get(row["status"], row["status"])
            row["result"] = results.get(row["result"], row["result"])
            row["url"] = url(row["slug"]) or ""

    return finish


def batches(export):
    """The records as lists of column values, one list of rows per keyset batch."""
    keys = [key for key, _label in export.columns]
    for batch in export.keyset.pages(export.queryset, size=BATCH_SIZE):
        export.finish(batch)
        yield [[row[key] for key in keys] for row in batch]


def spreadsheet_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a generator."""

    def write(self, value):
        return value


@dataclass
class Export:
    """What to download: the filtered rows as dicts, the keyset that batches them, the
    function that completes each batch in place, and the columns it then has."""

    queryset: object
    columns: list
    keyset: Keyset
    finish: Callable[[list[dict]], None]
    filename: str
    sheet_title: str


def csv_response(request, export: Export):
    writer = csv.writer(Echo())

    def lines():
        yield "\ufeff"  # a BOM, so spreadsheet programs read the file as UTF-8 (å, ä, ö)
        yield writer.writerow([str(label) for _key, label in export.columns])
        # One chunk per batch: the server writes 100 pieces of 1,000 rows, not 100,000 lines.
        for batch in batches(export):
            yield "".join(
                writer.writerow([spreadsheet_safe("" if v is None else v) for v in row])
                for row in batch
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}.csv"'
    return response


def json_response(request, export: Export):
    keys = [key for key, _label in export.columns]

    def chunks():
        yield '{"data": ['
        separator = "\n"
        for batch in batches(export):
            objects = []
            for row in batch:
                data = json.dumps(dict(zip(keys, row, strict=True)), cls=DjangoJSONEncoder)
                objects.append(separator + data)
                separator = ",\n"
            yield "".join(objects)
        yield "\n]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}.json"'
    return response


def xlsx_response(request, export: Export):
    """openpyxl's write-only mode keeps rows on disk; the finished file is streamed from disk."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(export.sheet_title)[:31])
    header = []
    for _key, label in export.columns:
        cell = WriteOnlyCell(sheet, value=str(label))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for batch in batches(export):
        for row in batch:
            sheet.append([spreadsheet_safe(v) for v in row])
    output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by FileResponse)
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=f"{export.filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def bad_request(message):
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


RESPONSES = {"csv": csv_response, "json": json_response, "xlsx": xlsx_response}


def respond(
    request,
    fmt,
    filterset_class,
    queryset,
    *,
    body,
    fields,
    finisher,
    columns,
    keyset,
    name,
    sheet_title,
):
    """Filter `queryset` as its page does and download it as `fmt`; 400 for bad input.

    Each row is read as the dict of its `fields`; `finisher(request, body)` gives the function
    that completes a batch of them in place with the `columns`."""
    if fmt not in RESPONSES:
        return bad_request(_("Unknown format. Choose csv, xlsx or json."))
    filterset = filterset_class(request.GET, queryset=queryset, body=body)
    if not filterset.is_valid():
        problems = "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items()
        )
        return bad_request(_("Invalid filter value. %(problems)s") % {"problems": problems})
    filename = f"{name}-{body.slug}-{timezone.localdate():%Y%m%d}"
    finish = finisher(request, body)
    export = Export(filterset.qs.values(*fields), columns, keyset, finish, filename, sheet_title)
    return RESPONSES[fmt](request, export)


def motion_export(request, body, fmt):
    """The motion list of one municipality, filtered exactly as the page is, in `fmt`."""
    body = get_object_or_404(Body, slug=body)
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
