"""The cells of every spreadsheet the site writes: the public downloads and the admin's reports.

Text that a spreadsheet program would run as a formula is written as text (OWASP, "CSV
injection"): in CSV behind an apostrophe; in XLSX as a string cell with Excel's quote prefix,
so it shows unchanged and stays text when someone edits the cell. Numbers and dates stay what
they are."""

import csv
import re
import unicodedata
from decimal import Decimal

# Spreadsheet programs run a cell starting with one of these as a formula.
FORMULA_STARTS = frozenset("=+-@")
# The first character that shows, after any whitespace and control characters.
FIRST_SHOWN = re.compile(r"[\s\x00-\x1f\x7f]*(.)", re.DOTALL)


def runs_as_formula(text: str) -> bool:
    """True for text starting with a tab or CR, or whose first character that shows is
    = + - @. Their full-width forms (U+FF1D and so on, folded by NFKC) count too: an
    apostrophe on rare text costs less than knowing which input method converts them."""
    if text[:1] in ("\t", "\r"):
        return True
    first = FIRST_SHOWN.match(text)
    return first is not None and unicodedata.normalize("NFKC", first[1]) in FORMULA_STARTS


def csv_cell(value):
    """None as an empty cell, and text a spreadsheet would run behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and runs_as_formula(value):
        return "'" + value
    return value


def decimal_comma(value):
    """A number with a fractional part written with a decimal comma ("2,5"), which Swedish
    Excel reads as a number; it would read "2.5" as a date or text. Other values unchanged."""
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return value


class CsvWriter:
    """A csv.writer for spreadsheet programs: every row's cells pass `csv_cell`, and every text
    cell is quoted, so a comma or semicolon inside text never starts a cell in a program that
    splits on the other separator (Swedish Excel splits on ";"). With ";" numbers are written
    with a decimal comma, as Swedish Excel expects."""

    def __init__(self, out, *, delimiter=","):
        self.writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_NONNUMERIC)
        self.swedish = delimiter == ";"

    def writerow(self, values):
        cells = [csv_cell(value) for value in values]
        if self.swedish:
            cells = [decimal_comma(cell) for cell in cells]
        return self.writer.writerow(cells)


def xlsx_row(sheet, values) -> list:
    """Cells for `sheet.append()`, in write-only and normal workbooks alike. Text is always a
    string cell: openpyxl would make text starting with "=" a formula and "#REF!" an error."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cells = []
    for value in values:
        if isinstance(value, str):
            # Control characters cannot be stored in XLSX; openpyxl refuses the whole file.
            text = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = WriteOnlyCell(sheet, text)
            cell.data_type = "s"
            cell.quotePrefix = runs_as_formula(text)
        else:
            cell = WriteOnlyCell(sheet, value)
        cells.append(cell)
    return cells


def neutralise_wagtail_exports() -> None:
    """Wagtail's own admin spreadsheets (site history, page reports, workflow reports, listings
    with an export) write CSV cells raw; every value they write passes one method, so that
    method also gets `csv_cell`. Their XLSX cells are already forced to text by Wagtail."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    wagtail_preprocess = SpreadsheetExportMixin.preprocess_field_value

    def preprocess_field_value(self, field, value, export_format):
        value = wagtail_preprocess(self, field, value, export_format)
        return csv_cell(value) if export_format == self.FORMAT_CSV else value

    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
