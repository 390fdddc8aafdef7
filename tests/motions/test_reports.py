"""The report of undecided motions: listing, comments, issuing and the three downloads."""

import csv
import io
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from motions import reports, services
from motions.models import EventKind, Motion, MotionEvent, UndecidedReport
from tests.factories import MeetingFactory, MotionFactory, OrganFactory, all_clauses
from tests.payloads import FORMULAS, PAYLOADS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def motions_on_record(body):
    executive = OrganFactory(body=body, executive=True, name="Kommunstyrelsen")
    old = MotionFactory(
        body=body,
        case_number="KS 2023-00010",
        title="Fler parkbänkar",
        submitted_on=date(2023, 3, 1),
    )
    services.motion_refer(motion=old, organ=executive, sent_on=date(2023, 3, 10))
    recent = MotionFactory(
        body=body, case_number="KS 2024-00020", title="Läxhjälp", submitted_on=date(2024, 9, 1)
    )
    decided = MotionFactory(
        body=body, case_number="KS 2023-00030", title="Belysning", submitted_on=date(2023, 4, 1)
    )
    council = OrganFactory(body=body)
    services.motion_raise(
        motion=decided, meeting=MeetingFactory(organ=council, date=date(2023, 4, 17))
    )
    meeting = MeetingFactory(organ=council, date=date(2024, 3, 25))
    services.motion_decide(
        motion=decided,
        meeting=meeting,
        paragraph=12,
        decided_on=meeting.date,
        outcomes=all_clauses(decided),
    )
    return old, recent, decided


def test_the_report_lists_what_was_undecided_on_the_date_with_days_open_and_organ(
    body, motions_on_record
):
    _old, _recent, _decided = motions_on_record
    report = reports.report_prepare(body=body, as_of=date(2024, 3, 1))
    rows = list(report.rows.order_by("sort_order"))
    # decided later (25 March) counts as undecided on 1 March; the 2024 motion was not yet submitted
    assert [r.case_number for r in rows] == ["KS 2023-00010", "KS 2023-00030"]
    assert rows[0].days_open == 366
    assert rows[0].preparing_organ == "Kommunstyrelsen"
    assert rows[0].deadline_on == date(2024, 3, 1)


def test_issuing_marks_the_motions_reported_and_keeps_the_comments(
    body, motions_on_record, admin_user
):
    old, _recent, _decided = motions_on_record
    report = reports.report_prepare(body=body, as_of=date(2024, 10, 1))
    row = report.rows.get(motion=old)
    reports.report_save_comments(report=report, comments={row.pk: "Beredning pågår i KS."})
    reports.report_issue(report=report, user=admin_user, council_paragraph="88")
    marked = Motion.objects.get(pk=old.pk)
    assert marked.reported_undecided_on == date(2024, 10, 1)
    assert marked.reported_undecided_paragraph == "88"
    assert MotionEvent.objects.filter(motion=old, kind=EventKind.REPORTED_UNDECIDED).count() == 1
    with pytest.raises(Exception, match="can no longer be changed"):
        reports.report_save_comments(report=report, comments={row.pk: "Ändrad"})
    assert report.rows.get(pk=row.pk).comment == "Beredning pågår i KS."
    # Now the 5:35 write-off is allowed for the reported motion.
    services.motion_write_off(
        motion=old, written_off_on=date(2024, 11, 1), legal_ground="reported_undecided"
    )
    assert Motion.objects.get(pk=old.pk).status == "written_off"


def test_exports_in_three_formats_carry_the_rows(body, motions_on_record):
    report = reports.report_prepare(body=body, as_of=date(2024, 10, 1))
    report.rows.filter(case_number="KS 2023-00010").update(comment="Åtgärdas under våren")
    parsed = list(
        csv.reader(io.StringIO(reports.export_csv(report).decode("utf-8-sig")), delimiter=";")
    )
    assert parsed[0][0] == "Diarienummer"
    assert parsed[1][:2] == ["KS 2023-00010", "Fler parkbänkar"]
    assert parsed[1][-1] == "Åtgärdas under våren"
    sheet = load_workbook(io.BytesIO(reports.export_xlsx(report))).active
    assert sheet["A3"].value == "KS 2023-00010"
    assert sheet.max_row == 2 + len(parsed) - 1
    pdf = reports.export_pdf(report)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000


def test_downloads_show_hostile_titles_and_comments_as_inert_text(client, admin_user, body):
    """What a motion's author or the secretariat wrote comes back as text: behind an
    apostrophe in CSV, as string cells in XLSX, and as the letters themselves in the PDF."""
    titles = {
        MotionFactory(body=body, title=t, submitted_on=date(2024, 1, 1)).case_number: t
        for t in PAYLOADS
    }
    report = reports.report_prepare(body=body, as_of=date(2024, 6, 1))
    reports.report_save_comments(
        report=report, comments={row.pk: row.title for row in report.rows.all()}
    )
    english_admin(client, admin_user)

    def download(fmt):
        response = client.get(reverse("motions_report_export", args=[report.pk, fmt]))
        assert response.status_code == 200
        return response.content

    rows = list(csv.reader(io.StringIO(download("csv").decode("utf-8-sig")), delimiter=";"))
    expected = {case: "'" + t if t in FORMULAS else t for case, t in titles.items()}
    assert {row[0]: row[1] for row in rows[1:]} == expected
    assert {row[0]: row[-1] for row in rows[1:]} == expected

    sheet = load_workbook(io.BytesIO(download("xlsx"))).active
    for case, title, *_rest, days, _organ, _step, comment in sheet.iter_rows(min_row=3):
        for cell in (title, comment):
            assert (cell.data_type, cell.value) == ("s", titles[case.value])  # CR kept (lxml)
            assert cell.quotePrefix == (titles[case.value] in FORMULAS)
        assert (days.data_type, days.value) == ("n", 152)

    # The markup is shown as written and styles nothing: no 40-point text, no parse error.
    shown, sizes = pdf_text(download("pdf"))
    assert "<font size=40>Stor</font> <b>fet & <img src=x onerror=alert(1)>" in shown
    assert max(sizes) < 20


def pdf_text(pdf: bytes) -> tuple[str, list[float]]:
    """The text the PDF shows (line breaks as spaces) and its font sizes in points.

    When a font holds a glyph numbered above 255 (a payload's full-width equals sign), WeasyPrint
    writes two-byte codes and pypdf reads them a byte at a time: a NUL before each letter,
    which is dropped here (the PDF's own ToUnicode map is right)."""
    shown, sizes = [], []

    def visit(text, cm, _tm, _font, size):
        if text.strip():
            sizes.append(size * abs(cm[0]))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        shown.append(page.extract_text(visitor_text=visit))
    return " ".join(" ".join(shown).replace("\x00", "").split()), sizes


def test_empty_reports_explain_why(body, motions_on_record):
    assert "future" in reports.empty_reason(
        body=body, as_of=date(2031, 1, 1), today=date(2025, 1, 1)
    )
    assert "first motion" in reports.empty_reason(
        body=body, as_of=date(2020, 1, 1), today=date(2025, 1, 1)
    )
    assert reports.empty_reason(body=body, as_of=date(2024, 1, 1), today=date(2025, 1, 1)) == ""


def test_the_admin_report_shows_issues_and_downloads(client, admin_user, body, motions_on_record):
    english_admin(client, admin_user)
    response = client.post(
        reverse("motions_report_index"), {"body": body.pk, "as_of": "2024-10-01"}
    )
    report = UndecidedReport.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("motions_report_detail", args=[report.pk]))
    assert "KS 2023-00010" in page.content.decode()
    row = report.rows.get(case_number="KS 2023-00010")
    client.post(
        reverse("motions_report_detail", args=[report.pk]),
        {f"comment-{row.pk}": "Svar väntas i maj", "council_paragraph": "101", "issue": "1"},
    )
    report.refresh_from_db()
    assert report.issued_at
    assert report.rows.get(pk=row.pk).comment == "Svar väntas i maj"
    download = client.get(reverse("motions_report_export", args=[report.pk, "xlsx"]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    empty = client.post(
        reverse("motions_report_index"), {"body": body.pk, "as_of": "2019-01-01"}, follow=True
    )
    assert "first motion" in empty.content.decode()


def test_an_editor_without_motion_rights_cannot_open_the_report(client, django_user_model, body):
    user = django_user_model.objects.create_user("reader", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(reverse("motions_report_index")).status_code in (302, 403)


def test_5000_motions_render_and_export_in_a_fixed_number_of_queries(
    body, django_assert_max_num_queries, client, admin_user
):
    def build(count, start):
        Motion.objects.bulk_create(
            Motion(
                body=body,
                case_number=f"KS {start + n}",
                slug=f"ks-{start + n}",
                title=f"Motion {n}",
                submitted_on=date(2023, 1, 1),
                deadline_on=date(2024, 1, 1),
                status="in_preparation",
            )
            for n in range(count)
        )

    build(50, 0)
    with django_assert_max_num_queries(3):
        assert len(reports.build_rows(body=body, as_of=date(2024, 6, 1))) == 50
    build(4950, 1000)
    with django_assert_max_num_queries(3):
        assert len(reports.build_rows(body=body, as_of=date(2024, 6, 1))) == 5000
    big = reports.report_prepare(body=body, as_of=date(2024, 6, 1))
    assert big.rows.count() == 5000
    with django_assert_max_num_queries(2):
        reports.export_csv(big)
    with django_assert_max_num_queries(2):
        reports.export_xlsx(big)
    english_admin(client, admin_user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("motions_report_detail", args=[big.pk])).status_code == 200


def english_admin(client, user):
    """The admin speaks the user's chosen language; match messages in their source language."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)


def test_a_comment_for_a_row_number_that_is_not_one_changes_nothing(
    client, admin_user, body, motions_on_record
):
    """ "²" passes str.isdigit() and then fails int(): a forged field name is ignored."""
    english_admin(client, admin_user)
    client.post(reverse("motions_report_index"), {"body": body.pk, "as_of": "2024-10-01"})
    report = UndecidedReport.objects.get()
    row = report.rows.get(case_number="KS 2023-00010")

    response = client.post(
        reverse("motions_report_detail", args=[report.pk]),
        {"comment-²": "Förfalskad", f"comment-{row.pk}": "Svar väntas i maj"},
    )

    assert response.status_code == 302
    assert list(report.rows.exclude(comment="").values_list("comment", flat=True)) == [
        "Svar väntas i maj"
    ]
