"""The downloads say what became of each clause: its outcome, the decision's § and meeting and
each commitment's status; the CSV opens in Swedish Excel (";", UTF-8 with a BOM, decimal comma)."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from cms.exports import motions as exports
from cms.exports import plans as plan_exports
from cms.exports import writers
from cms.models import FollowUpIndexPage
from motions.models import Outcome
from motions.spreadsheets import CsvWriter
from tests.factories import (
    CommitmentFactory,
    DecisionFactory,
    MeetingFactory,
    MotionFactory,
    OrganFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db

A, R = Outcome.APPROVED, Outcome.REJECTED


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def csv_rows(client, url, keys) -> list[dict]:
    raw = download(client, url)
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the file as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert all(len(row) == len(keys) for row in rows)  # ";" splits, "," inside text does not
    return [dict(zip(keys, row, strict=True)) for row in rows[1:]]


@pytest.fixture
def records(public_site):
    body = public_site.body
    public_site.home.add_child(
        instance=FollowUpIndexPage(title="Uppföljning", slug="uppfoljning", body=body)
    )
    council = OrganFactory(body=body, name="Kommunfullmäktige", abbreviation="KF")
    decided = MotionFactory(
        body=body,
        case_number="KS 2024-00001",
        submitted_on=date(2024, 1, 10),
        clauses=["att bygga, och sköta, en lekplats", "att riva skolan"],
    )
    decision = DecisionFactory(
        motion=decided,
        meeting=MeetingFactory(organ=council, date=date(2024, 6, 17)),
        decided_on=date(2024, 6, 17),
        paragraph=87,
        outcomes={1: A, 2: R},
    )
    commitment = CommitmentFactory(
        decision=decision, clause_number=1, title="Lekplats, Norrby", slug="lekplats"
    )
    proposed = MotionFactory(
        body=body, case_number="KS 2024-00002", submitted_on=date(2024, 2, 1), clauses=["att a"]
    )
    ProposalFactory(motion=proposed, outcomes={1: R})
    return decided, decision, commitment, proposed


def test_motion_rows_carry_clause_outcomes_decision_and_commitment_status(client, records):
    _decided, _decision, commitment, _proposed = records
    keys = [key for key, _label in exports.COLUMNS]
    rows = {row["case_number"]: row for row in csv_rows(client, "/export/boras/motioner.csv", keys)}
    row = rows["KS 2024-00001"]
    outcomes = row["clause_outcomes"].split("; ")
    assert len(outcomes) == 2
    assert outcomes[0].startswith("1: ")
    assert "bifall" in outcomes[0]
    assert outcomes[1].startswith("2: ")
    assert "avslå" in outcomes[1]
    assert row["decision_paragraph"] == "87"
    assert row["decision_meeting"] == "KF 2024-06-17"
    assert "Lekplats, Norrby" in row["commitments"]
    assert commitment.get_current_status_display() in row["commitments"]

    row = rows["KS 2024-00002"]  # proposed, not decided
    assert row["clause_outcomes"].startswith("1: ")
    assert "avslå" in row["clause_outcomes"]
    assert row["clause_outcomes"] != rows["KS 2024-00001"]["clause_outcomes"].split("; ")[1]
    assert row["decision_paragraph"] == row["decision_meeting"] == row["commitments"] == ""

    data = json.loads(download(client, "/export/boras/motioner.json"))["data"]
    by_case = {item["case_number"]: item for item in data}
    assert by_case["KS 2024-00001"]["decision_paragraph"] == "87"
    assert by_case["KS 2024-00001"]["clause_outcomes"] == rows["KS 2024-00001"]["clause_outcomes"]
    sheet = load_workbook(io.BytesIO(download(client, "/export/boras/motioner.xlsx"))).active
    header = [cell.value for cell in sheet[1]]
    assert len(header) == len(keys)
    assert str(exports.COLUMNS[keys.index("clause_outcomes")][1]) in header


def test_commitment_rows_carry_motion_clause_its_outcome_and_status(client, records):
    _decided, decision, commitment, _proposed = records
    keys = [key for key, _label in plan_exports.COLUMNS]
    (row,) = csv_rows(client, "/export/boras/ataganden.csv", keys)
    assert row["title"] == "Lekplats, Norrby"
    assert row["status"] == commitment.get_current_status_display()
    assert row["decision"] == str(decision)
    assert row["motion"] == "KS 2024-00001"
    assert row["clause"] == "1"
    assert row["clause_outcome"] == Outcome(A).label


def test_a_csv_cell_that_would_run_as_a_formula_stays_text(client, records):
    decided = records[0]
    decided.title = '=HYPERLINK("http://evil.example";"Klicka")'
    decided.save()
    keys = [key for key, _label in exports.COLUMNS]
    rows = csv_rows(client, "/export/boras/motioner.csv", keys)
    assert {row["title"] for row in rows} >= {"'" + decided.title}


def test_numbers_are_written_with_a_decimal_comma_for_swedish_excel():
    out = io.StringIO()
    CsvWriter(out, delimiter=";").writerow(["Andel", 2.5, Decimal("12.75"), 2030])
    assert out.getvalue() == '"Andel";"2,5";"12,75";2030\r\n'
    out = io.StringIO()
    CsvWriter(out).writerow([2.5])  # a comma-separated file keeps the point
    assert out.getvalue() == "2.5\r\n"


def test_the_download_links_say_the_csv_is_for_excel(client, records):
    html = client.get("/motioner/").content.decode()  # Swedish first, whatever the browser asks
    link = html[html.index('href="/export/boras/motioner.csv"') :]
    assert link[: link.index("</a>")].endswith("Ladda ned som CSV för Excel (semikolonavgränsad)")


def test_query_count_per_batch_stays_fixed_with_clauses_and_commitments(
    client, records, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(writers, "BATCH_SIZE", 1)
    download(client, "/export/boras/motioner.csv")
    with django_assert_num_queries(1 + 2 * 7):  # the body, then two batches of one motion
        download(client, "/export/boras/motioner.csv")
