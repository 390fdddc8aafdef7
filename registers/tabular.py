"""Reading a spreadsheet a municipality uploads: CSV or XLSX, one table of text cells.

CSV is read with the standard library's csv module and XLSX with openpyxl in read-only mode,
both as streams: `Table.rows()` reads the file again on each call instead of keeping a list
of row dicts, so a 10 MB file is held once, as its bytes.

Encodings: UTF-8, with or without the BOM Excel writes for "CSV UTF-8". Anything else is
refused with a message saying how to save the file, never guessed: telling cp1252 from
latin-1 or MacRoman on a short file is a guess, and a wrong guess stores "BorÃ¥s" for good.

Dates: ISO dates as Swedish Excel shows them (2023-05-04, also with a time 00:00 or
00:00:00 after them) and real date cells in XLSX. "4/5/2023" or "04.05.2023" are refused,
since the same text means 4 May in one country and 5 April in another."""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from motions.spreadsheets import runs_as_formula

MAX_BYTES = 10 * 1024 * 1024
SNIFF_CHARS = 64 * 1024
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


class ImportFileError(Exception):
    """The whole file is unreadable (encoding, junk, too big); str() is the Swedish message."""


@dataclass
class Table:
    """A read file: its headings, and its rows read again from the file on each call."""

    headings: list[str]
    row_count: int
    reader: Callable[[], Iterator[tuple[int, list]]] = field(repr=False)
    # The site's CSV writes text a spreadsheet would run as a formula behind an apostrophe
    # (motions.spreadsheets); reading it back drops that apostrophe again.
    quoted_formulas: bool = False

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(row number as the spreadsheet shows it, {heading: cell text}); empty rows are left out."""
        for number, cells in self.reader():
            values = {
                heading: cell_text(cells[i]) if i < len(cells) else ""
                for i, heading in enumerate(self.headings)
                if heading
            }
            if self.quoted_formulas:
                values = {
                    h: v[1:] if v.startswith("'") and runs_as_formula(v[1:]) else v
                    for h, v in values.items()
                }
            if any(values.values()):
                yield number, values


def cell_text(value) -> str:
    """A cell as text: dates as ISO dates (a midnight time dropped), whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date(text: str) -> datetime.date:
    """An ISO date, optionally followed by a time; ValueError with the Swedish reason otherwise."""
    match = ISO_DATE.fullmatch(text.strip())
    if not match:
        raise ValueError(
            _("%(value)s is not a date. Write dates as YYYY-MM-DD, e.g. 2023-05-04.")
            % {"value": text}
        )
    try:
        day = datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(_("%(value)s is not a date in the calendar.") % {"value": text}) from None
    if day > timezone.localdate():
        raise ValueError(
            _("%(value)s is in the future; the register holds what has happened.") % {"value": text}
        )
    return day


def read_table(content: bytes, *, filename: str) -> Table:
    """The file's first sheet (XLSX) or its rows (CSV), or ImportFileError saying what is wrong."""
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)d MB. Split it into several files.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")) or content[:4] == b"PK\x03\x04":
        table = _read_xlsx(content)
    elif name.endswith((".csv", ".txt")) or not name.rpartition(".")[1]:
        table = _read_csv(content)
    else:
        raise ImportFileError(_("Upload an XLSX or a CSV file."))
    headings = [h for h in table.headings if h]
    if not headings:
        raise ImportFileError(_("The first row must hold the column headings."))
    repeated = sorted({h for h in headings if headings.count(h) > 1})
    if repeated:
        raise ImportFileError(
            _("Two columns have the same heading: %(headings)s. Give each column its own heading.")
            % {"headings": ", ".join(repeated)}
        )
    return table


def _read_csv(content: bytes) -> Table:
    if b"\x00" in content[:SNIFF_CHARS]:
        raise ImportFileError(
            _(
                "The file is not a CSV text file. Save it from Excel as "
                '"CSV UTF-8 (kommaavgränsad)" or upload the XLSX file.'
            )
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise ImportFileError(
            _(
                "The file is not UTF-8 (line %(line)d). Save it from Excel as "
                '"CSV UTF-8 (kommaavgränsad)", or upload the XLSX file.'
            )
            % {"line": line}
        ) from None
    delimiter = _delimiter(text[:SNIFF_CHARS])

    def reader():
        try:
            yield from enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)
        except csv.Error as error:
            raise ImportFileError(
                _("The CSV file cannot be read: %(error)s") % {"error": error}
            ) from None

    rows = reader()
    headings = [cell.strip() for cell in next(rows, (1, []))[1]]
    count = sum(1 for _number, cells in rows if any(cell.strip() for cell in cells))

    def data_rows():
        rows = reader()
        next(rows, None)
        yield from rows

    return Table(headings=headings, row_count=count, reader=data_rows, quoted_formulas=True)


def _delimiter(sample: str) -> str:
    """ ";" (Swedish Excel's list separator) or ",", whichever splits the heading row."""
    first_line = sample.split("\n", 1)[0]
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    def open_sheet():
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise ImportFileError(
                _("The file is not an XLSX workbook Excel can open (%(error)s).") % {"error": error}
            ) from None
        return workbook, workbook.worksheets[0]

    def reader():
        workbook, sheet = open_sheet()
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
        finally:
            workbook.close()

    rows = reader()
    first = next(rows, (1, []))[1]
    headings = [cell_text(cell) for cell in first]
    count = sum(1 for _number, cells in rows if any(cell_text(c) for c in cells))

    def data_rows():
        rows = reader()
        next(rows, None)
        yield from rows

    return Table(headings=headings, row_count=count, reader=data_rows)
