"""Streamed downloads of a filtered list as CSV, XLSX and JSON, shared by every export: rows
are read in keyset batches and written one batch at a time, so a 100,000-row file is never
held in memory; the cells are written by `motions.spreadsheets`, which keeps formulas inert."""

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.keyset import Keyset
from cms.licences import licence_of, state
from motions.models import DataLicence
from motions.spreadsheets import CsvWriter, xlsx_row

BATCH_SIZE = 1000
FORMATS = {"csv", "xlsx", "json"}


def choice_labels(choices) -> dict:
    """value -> label in the active language, as `get_FOO_display()` gives it, translated once."""
    return {value: str(label) for value, label in choices.choices}


def batches(export):
    """The records as lists of column values, one list of rows per keyset batch."""
    keys = [key for key, _label in export.columns]
    for batch in export.keyset.pages(export.queryset, size=BATCH_SIZE):
        export.finish(batch)
        yield [[row[key] for key in keys] for row in batch]


class Echo:
    """A file-like object whose write() hands the line back, for a CSV writer in a generator."""

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
    licence: DataLicence
    publisher: str  # the municipality, named in the XLSX file's properties


def csv_response(request, export: Export):
    """CSV that Swedish Excel opens with a double click: ";" between cells (its list separator),
    UTF-8 with a BOM, decimal commas. Programs read the JSON download or the API instead."""
    writer = CsvWriter(Echo(), delimiter=";")

    def lines():
        yield "\ufeff"  # a BOM, so spreadsheet programs read the file as UTF-8 (å, ä, ö)
        yield writer.writerow([str(label) for _key, label in export.columns])
        # One chunk per batch: the server writes 100 pieces of 1,000 rows, not 100,000 lines.
        for batch in batches(export):
            yield "".join(writer.writerow(row) for row in batch)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}.csv"'
    return response


def json_response(request, export: Export):
    """`{"license": <url>, "data": [...]}`: the licence beside the rows, as OParl names it."""
    keys = [key for key, _label in export.columns]

    def chunks():
        yield f'{{"license": {json.dumps(export.licence.url)}, "data": ['
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


def about_sheet(workbook, export: Export):
    """A sheet after the data naming the publisher and the licence, and the same in the
    file's properties: the data sheet stays first and holds only the rows, so the file
    imports back as it is."""
    from openpyxl.packaging.custom import StringProperty

    licence = export.licence
    sheet = workbook.create_sheet(title=_("About the data")[:31])
    sheet.append([_("Publisher"), export.publisher])
    sheet.append([_("Licence"), licence.label])
    sheet.append([_("Licence text"), licence.url])
    workbook.properties.creator = export.publisher
    workbook.properties.title = str(export.sheet_title)
    workbook.properties.description = _("Licence: %(licence)s") % {
        "licence": f"{licence.label} {licence.url}"
    }
    workbook.custom_doc_props.append(StringProperty(name="license", value=licence.url))


def xlsx_response(request, export: Export):
    """openpyxl's write-only mode keeps rows on disk; the finished file is streamed from disk."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(export.sheet_title)[:31])
    header = xlsx_row(sheet, [str(label) for _key, label in export.columns])
    for cell in header:
        cell.font = Font(bold=True)
    sheet.append(header)
    for batch in batches(export):
        for row in batch:
            sheet.append(xlsx_row(sheet, row))
    about_sheet(workbook, export)
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
MEDIA_TYPES = {  # for the open-data catalogue (cms.opendata)
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


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
    export = Export(
        filterset.qs.values(*fields),
        columns,
        keyset,
        finish,
        filename,
        sheet_title,
        licence=licence_of(body),
        publisher=body.name,
    )
    return state(RESPONSES[fmt](request, export), export.licence)
