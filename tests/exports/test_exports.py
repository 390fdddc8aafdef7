"""Downloads of the filtered motion list: CSV, XLSX and JSON, streamed in keyset batches."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from cms.exports import motions as exports
from cms.exports import plans as plan_exports
from cms.exports import writers
from cms.models import FollowUpIndexPage
from motions.models import Motion, MotionStatus
from tests.factories import (
    CommitmentFactory,
    DecisionFactory,
    MotionFactory,
    OrganFactory,
    PartyFactory,
    PersonFactory,
)
from tests.payloads import FORMULAS, PAYLOADS

pytestmark = pytest.mark.django_db


def download(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_csv_has_the_page_columns_and_keeps_filters(client, public_site):
    party = PartyFactory(body=public_site.body, slug="kd")
    ours = MotionFactory(body=public_site.body, party=party, title="Äldreboende i Sandared")
    MotionFactory(body=public_site.body, title="Annan motion")
    response = client.get("/export/boras/motioner.csv", {"party": "kd"})
    assert 'attachment; filename="motioner-boras-' in response["Content-Disposition"]
    text = download(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][0] == ours.case_number
    assert rows[1][1] == "Äldreboende i Sandared"
    assert rows[1][-1] == f"http://testserver/motioner/{ours.slug}/"
    assert len(rows[0]) == len(exports.COLUMNS)


def test_json_and_xlsx_have_the_same_rows(client, public_site):
    motions = [
        MotionFactory(body=public_site.body, submitted_on=date(2024, 1, 1) + timedelta(days=n))
        for n in range(3)
    ]
    data = json.loads(download(client.get("/export/boras/motioner.json")))["data"]
    assert [row["case_number"] for row in data] == [m.case_number for m in reversed(motions)]
    assert data[0]["submitted_on"] == "2024-01-03"
    response = client.get("/export/boras/motioner.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(download(response))).active
    values = list(sheet.values)
    assert len(values) == 4
    assert [v[0] for v in values[1:]] == [m.case_number for m in reversed(motions)]


def test_hostile_titles_download_as_inert_text(client, public_site):
    """In CSV a title a spreadsheet would run starts with an apostrophe and every text cell is
    quoted; in XLSX each title is a string cell, never a formula, showing the title as written."""
    titles = {MotionFactory(body=public_site.body, title=t).case_number: t for t in PAYLOADS}
    text = download(client.get("/export/boras/motioner.csv")).decode("utf-8-sig")
    cells = {row[0]: row[1] for row in list(csv.reader(io.StringIO(text), delimiter=";"))[1:]}
    assert cells == {case: "'" + t if t in FORMULAS else t for case, t in titles.items()}
    assert '"Remiss; svar väntas"' in text  # one cell in a program that splits on ";"

    sheet = load_workbook(io.BytesIO(download(client.get("/export/boras/motioner.xlsx")))).active
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert set(cells) == set(titles)
    for case, title in titles.items():
        assert (cells[case].data_type, cells[case].value) == ("s", title)  # CR kept (lxml)
        assert cells[case].quotePrefix == (title in FORMULAS)  # stays text when edited


def test_numbers_stay_numbers_and_text_that_looks_like_one_is_text(client, public_site):
    CommitmentFactory(
        decision=DecisionFactory(motion=MotionFactory(body=public_site.body)),
        title="-20 % utsläpp",
        target_year=2030,
    )
    text = download(client.get("/export/boras/ataganden.csv")).decode("utf-8-sig")
    assert '"\'-20 % utsläpp";' in text
    assert ";2030;" in text  # unquoted: a number
    sheet = load_workbook(io.BytesIO(download(client.get("/export/boras/ataganden.xlsx")))).active
    title, _organ, year = sheet[2][:3]
    assert (title.data_type, title.value) == ("s", "-20 % utsläpp")
    assert (year.data_type, year.value) == ("n", 2030)


def test_control_characters_in_a_title_do_not_break_the_download(client, public_site):
    """A line break pasted from Word is stored as \x0b, which XLSX cannot hold."""
    motion = MotionFactory(body=public_site.body)
    Motion.objects.filter(pk=motion.pk).update(title="Rad ett\x0bRad två\x01")
    sheet = load_workbook(io.BytesIO(download(client.get("/export/boras/motioner.xlsx")))).active
    assert sheet["B2"].value == "Rad ettRad två"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/export/boras/motioner.csv?year=abc", 400),
        ("/export/boras/motioner.csv?submitted_before=2024-02-31", 400),
        ("/export/boras/motioner.pdf", 400),
        ("/export/atlantis/motioner.csv", 404),
    ],
)
def test_bad_input_is_refused_clearly(client, public_site, url, status):
    response = client.get(url)
    assert response.status_code == status


def test_rows_are_read_in_batches_with_fixed_queries_per_batch(
    client, public_site, monkeypatch, django_assert_num_queries
):
    """With batches of 2, five motions take three batches of seven queries each (motions,
    submitters, clauses, decisions, decided and proposed outcomes, commitments)."""
    for n in range(5):
        MotionFactory(body=public_site.body, submitted_on=date(2024, 1, 1) + timedelta(days=n))
    monkeypatch.setattr(writers, "BATCH_SIZE", 2)
    download(client.get("/export/boras/motioner.csv"))  # fills the cached index-page URLs
    with django_assert_num_queries(1 + 3 * 7):  # the body, then three batches
        rows = (
            download(client.get("/export/boras/motioner.csv"))
            .decode("utf-8-sig")
            .strip()
            .splitlines()
        )
    assert len(rows) == 6


def test_cells_read_as_values_are_what_the_records_show(client, public_site):
    """Rows are read with .values(), not as models: each cell must still be what the model
    itself gives (display names, choice labels, get_url)."""
    body = public_site.body
    motion = MotionFactory(
        body=body,
        kind="citizen_proposal",
        submitters=[
            {"person": PersonFactory(body=body), "party": PartyFactory(body=body)},
            {"organ": OrganFactory(body=body)},
            {"resident_name": "Eva Invånare"},
        ],
    )
    DecisionFactory(motion=motion)  # decided: a status and a result with labels
    motion.refresh_from_db()
    assert motion.status == MotionStatus.DECIDED
    assert motion.result
    text = download(client.get("/export/boras/motioner.csv")).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    cells = dict(zip([k for k, _label in exports.COLUMNS], row, strict=True))
    names = [s.display_name for s in motion.submitters.order_by("sort_order")]
    assert cells["submitted_by"] == ", ".join(names)
    assert "Eva Invånare" in cells["submitted_by"]
    assert cells["kind"] == motion.get_kind_display()
    assert cells["status"] == motion.get_status_display()
    assert cells["result"] == motion.get_result_display()
    assert cells["url"] == f"http://testserver{motion.get_url()}"


def test_commitments_export_matches_the_records_in_one_query_per_batch(
    client, public_site, monkeypatch, django_assert_num_queries
):
    public_site.home.add_child(
        instance=FollowUpIndexPage(title="Uppföljning", slug="uppfoljning", body=public_site.body)
    )
    decision = DecisionFactory(motion=MotionFactory(body=public_site.body))
    commitments = [
        CommitmentFactory(decision=decision, target_year=2030 + n, slug=f"mal-{n}")
        for n in range(3)
    ]
    monkeypatch.setattr(writers, "BATCH_SIZE", 2)
    download(client.get("/export/boras/ataganden.csv"))  # fills the cached index-page URLs
    with django_assert_num_queries(1 + 2):  # the body, then two batches
        text = download(client.get("/export/boras/ataganden.csv")).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    keys = [k for k, _label in plan_exports.COLUMNS]
    assert len(rows) == 4
    for commitment, row in zip(commitments, rows[1:], strict=True):
        cells = dict(zip(keys, row, strict=True))
        assert cells["title"] == commitment.title
        assert cells["responsible_organ"] == commitment.responsible_organ.name
        assert cells["status"] == commitment.get_current_status_display()
        assert cells["decision"] == str(commitment.decision)
        assert cells["url"] == f"http://testserver{commitment.get_url()}"
        assert cells["url"].endswith(f"/uppfoljning/{commitment.slug}/")


def test_list_page_links_to_downloads_with_the_current_filters(client, public_site):
    MotionFactory(body=public_site.body)
    html = client.get("/motioner/", {"year": "2024"}).content.decode()
    assert 'href="/export/boras/motioner.csv?year=2024"' in html
    assert 'href="/export/boras/motioner.xlsx?year=2024"' in html
    assert 'href="/flode/boras/motioner/"' in html


def test_motion_page_links_to_its_feed(client, public_site):
    motion = MotionFactory(body=public_site.body)
    html = client.get(f"/motioner/{motion.slug}/").content.decode()
    assert f'href="/flode/boras/motion/{motion.slug}/"' in html
    assert f'href="/api/v1/motions/{motion.pk}"' in html
