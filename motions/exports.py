"""Downloads of the filtered motion list as CSV, XLSX and JSON, with the page's columns.

Rows are read in keyset batches (two queries per batch: motions and their submitters),
so 100,000 rows leave the server without ever being held in memory at once."""

import csv
import json
import tempfile
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .api import MOTION_KEYSET, Keyset
from .filters import MotionFilter
from .models import Body, Motion

BATCH_SIZE = 1000
FORMATS = {"csv", "xlsx", "json"}
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    ("case_number", gettext_lazy("Case number"), lambda m: m.case_number),
    ("title", gettext_lazy("Title"), lambda m: m.title),
    (
        "submitted_by",
        gettext_lazy("Submitted by"),
        lambda m: ", ".join(s.display_name for s in m.submitters.all()),
    ),
    ("submitted_on", gettext_lazy("Submitted"), lambda m: m.submitted_on),
    ("kind", gettext_lazy("Kind"), lambda m: m.get_kind_display()),
    ("status", gettext_lazy("Status"), lambda m: m.get_status_display()),
    ("result", gettext_lazy("Result"), lambda m: m.get_result_display() if m.result else ""),
    ("decided_on", gettext_lazy("Decided"), lambda m: m.decided_on),
    ("deadline_on", gettext_lazy("Decision due by"), lambda m: m.deadline_on),
    ("url", gettext_lazy("Address"), None),
]


def rows(request, queryset, columns, keyset):
    """Each record as a list of column values, read batch by batch; a getter of None is the web address."""
    for obj in keyset.batches(queryset, size=BATCH_SIZE):
        url = obj.get_url()
        yield [
            (request.build_absolute_uri(url) if url else "") if getter is None else getter(obj)
            for _key, _label, getter in columns
        ]


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
    """What to download: the filtered queryset, its columns and the keyset that batches it."""

    queryset: object
    columns: list
    keyset: Keyset
    filename: str
    sheet_title: str


def csv_response(request, export: Export):
    writer = csv.writer(Echo())

    def lines():
        yield "\ufeff"  # a BOM, so spreadsheet programs read the file as UTF-8 (å, ä, ö)
        yield writer.writerow([str(label) for _key, label, _getter in export.columns])
        for row in rows(request, export.queryset, export.columns, export.keyset):
            yield writer.writerow([spreadsheet_safe("" if v is None else v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}.csv"'
    return response


def json_response(request, export: Export):
    keys = [key for key, _label, _getter in export.columns]

    def chunks():
        yield '{"data": ['
        for n, row in enumerate(rows(request, export.queryset, export.columns, export.keyset)):
            yield (
                ("," if n else "")
                + "\n"
                + json.dumps(dict(zip(keys, row, strict=True)), cls=DjangoJSONEncoder)
            )
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
    for _key, label, _getter in export.columns:
        cell = WriteOnlyCell(sheet, value=str(label))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows(request, export.queryset, export.columns, export.keyset):
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


def respond(request, fmt, filterset_class, queryset, *, body, columns, keyset, name, sheet_title):
    """Filter `queryset` as its page does and download it as `fmt`; 400 for bad input."""
    if fmt not in RESPONSES:
        return bad_request(_("Unknown format. Choose csv, xlsx or json."))
    filterset = filterset_class(request.GET, queryset=queryset, body=body)
    if not filterset.is_valid():
        problems = "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items()
        )
        return bad_request(_("Invalid filter value. %(problems)s") % {"problems": problems})
    filename = f"{name}-{body.slug}-{timezone.localdate():%Y%m%d}"
    return RESPONSES[fmt](request, Export(filterset.qs, columns, keyset, filename, sheet_title))


def motion_export(request, body, fmt):
    """The motion list of one municipality, filtered exactly as the page is, in `fmt`."""
    body = get_object_or_404(Body, slug=body)
    motions = Motion.objects.published().for_body(body).for_list()
    return respond(
        request,
        fmt,
        MotionFilter,
        motions,
        body=body,
        columns=COLUMNS,
        keyset=MOTION_KEYSET,
        name="motioner",
        sheet_title=_("Motions"),
    )


urlpatterns = [
    path("<slug:body>/motioner.<str:fmt>", motion_export, name="export-motions"),
]
