"""The 5:35 report's PDF is a tagged, accessible PDF/UA (REQ-ACC-03): structure tags, Swedish as
its language, a title, column and row headers, and text a screen reader can extract."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from motions import reports
from tests.factories import MotionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf(body):
    MotionFactory(
        body=body,
        case_number="KS 2023-00010",
        title="Fler parkbänkar",
        submitted_on=date(2023, 3, 1),
    )
    report = reports.report_prepare(body=body, as_of=date(2024, 10, 1))
    report.rows.update(comment="Åtgärdas under våren")
    return PdfReader(io.BytesIO(reports.export_pdf(report)))


def _structure(node, found):
    """The structure types (/Table, /TH ...) below `node`, in reading order."""
    node = node.get_object()
    if "/S" in node:
        found.append(node["/S"])
    kids = node.get("/K")
    kids = kids.get_object() if kids is not None else []
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "get"):
            _structure(kid, found)
    return found


def test_the_pdf_is_tagged_in_swedish_with_a_title(pdf):
    catalogue = pdf.trailer["/Root"]

    assert "/StructTreeRoot" in catalogue
    assert bool(catalogue["/MarkInfo"]["/Marked"])
    assert catalogue["/Lang"] == "sv"
    assert pdf.metadata.title == "Redovisning av obesvarade motioner, Borås Stad, 2024-10-01"
    assert bool(catalogue["/ViewerPreferences"]["/DisplayDocTitle"])
    assert b"pdfuaid" in catalogue["/Metadata"].get_object().get_data()  # claims PDF/UA-1


def test_the_table_has_headers_and_its_text_can_be_extracted(pdf):
    tags = _structure(pdf.trailer["/Root"]["/StructTreeRoot"], [])
    text = " ".join(page.extract_text() for page in pdf.pages)

    assert "/Table" in tags
    assert tags.count("/TH") == len(reports.COLUMNS) + 1  # the column headers and a row header
    for shown in ["Diarienummer", "Kommentar", "KS 2023-00010", "Fler parkbänkar", "Åtgärdas"]:
        assert shown in text, shown
