"""Small register files for the import tests: a municipality with its organs and parties,
and CSV/XLSX files built from rows of Swedish headings."""

import csv
import io

from openpyxl import Workbook

from motions.models import OrganKind
from tests.factories import OrganFactory, PartyFactory

HEADINGS = [
    "Diarienummer",
    "Typ",
    "Rubrik",
    "Inlämnad",
    "Att-satser",
    "Inlämnad av",
    "Väckt i fullmäktige",
    "Remisser",
    "Förslag från",
    "Förslagsdatum",
    "Förslag §",
    "Föreslaget utfall per att-sats",
    "Beslutssammanträde",
    "Beslut §",
    "Utfall per att-sats",
    "Åtaganden (status)",
]
DECIDED = {
    "Diarienummer": "KS 2023-00123",
    "Typ": "motion",
    "Rubrik": "Motion om fler cykelbanor",
    "Inlämnad": "2023-02-01",
    "Att-satser": "1. att kommunen bygger fler cykelbanor 2. att det återrapporteras",
    "Inlämnad av": "Anna Andersson (S); Bo Berg (M)",
    "Väckt i fullmäktige": "2023-02-20",
    "Remisser": "SN 2023-03-01 besvarad 2023-05-02",
    "Förslag från": "KS",
    "Förslagsdatum": "2023-08-20",
    "Förslag §": "112",
    "Föreslaget utfall per att-sats": "1: bifalls; 2: avslås",
    "Beslutssammanträde": "KF 2023-09-25",
    "Beslut §": "87",
    "Utfall per att-sats": "1: bifalls; 2: avslås",
    "Åtaganden (status)": "Att-sats 1: Bygg cykelbanor (TN, 2025)",
}
SUBMITTED = {
    "Diarienummer": "KS 2024-00007",
    "Typ": "medborgarförslag",
    "Rubrik": "Förslag om en hundrastgård",
    "Inlämnad": "2024-03-04 00:00:00",
    "Att-satser": "att kommunen anlägger en hundrastgård i Norrby",
    "Inlämnad av": "Cecilia Civil",
}


def register_body(body):
    """Borås's organs and parties as the files name them."""
    OrganFactory(body=body, name="Kommunfullmäktige", abbreviation="KF", kind=OrganKind.COUNCIL)
    OrganFactory(body=body, executive=True, name="Kommunstyrelsen")
    for name, abbreviation in (("Socialnämnden", "SN"), ("Tekniska nämnden", "TN")):
        OrganFactory(
            body=body, name=name, abbreviation=abbreviation, kind=OrganKind.COMMITTEE, seats=None
        )
    PartyFactory(body=body, name="Socialdemokraterna", abbreviation="S", slug="s")
    PartyFactory(body=body, name="Moderaterna", abbreviation="M", slug="m")
    return body


def csv_bytes(rows, *, headings=HEADINGS, delimiter=";", bom=True, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headings)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headings])
    return (("\ufeff" if bom else "") + out.getvalue()).encode(encoding)


def xlsx_bytes(rows, *, headings=HEADINGS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headings)
    for row in rows:
        sheet.append([row.get(h, "") for h in headings])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
