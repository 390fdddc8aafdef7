"""The import template: the XLSX a secretariat fills in with its register."""

import io

from django.utils.translation import gettext as _


def workbook(fields) -> bytes:
    """A sheet with the fields' headings (required ones marked *) and one example row, and a
    second sheet explaining each column. Only the first sheet is read on import."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Motions")[:31]
    sheet.append([str(f.label) + (" *" if f.required else "") for f in fields])
    example = {
        "title": _("Motion on more cycle lanes"),
        "clauses": _("1. att the municipality builds more cycle lanes\n2. att it reports back"),
    }
    sheet.append([example.get(f.key, f.example) for f in fields])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.number_format = "@"  # text, so Excel keeps 2023-02-01 and "87" as written
    for column, f in zip(sheet.columns, fields, strict=False):
        sheet.column_dimensions[column[0].column_letter].width = max(14, len(str(f.label)) + 4)
    sheet.freeze_panes = "A2"

    help_sheet = book.create_sheet(_("Columns")[:31])
    help_sheet.append([_("Column"), _("Required"), _("What to write")])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for f in fields:
        help_sheet.append([str(f.label), _("yes") if f.required else "", str(f.help)])
    help_sheet.append([])
    for line in (
        _("One row per motion or citizen proposal; the case number identifies it."),
        _("Dates are written YYYY-MM-DD. An empty cell changes nothing in a stored record."),
        _("Importing the same file again changes nothing; a changed row updates the record."),
        _("Save as XLSX, or as CSV UTF-8 (comma or semicolon separated)."),
    ):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 34
    help_sheet.column_dimensions["C"].width = 100
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
