"""The report of undecided motions (redovisning av obesvarade motioner, KL 5 kap. 35 §).

A report is prepared for a date as a draft with a snapshot row per motion, the secretariat
writes comments, then issues it: the report becomes a kept record and its motions that were
past their one-year deadline on the date are marked "reported undecided" with the date. The
others are listed as still inside their year and stay unmarked. Building and exporting run a
fixed number of queries.
"""

import io
from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import (
    EventKind,
    Motion,
    MotionEvent,
    MotionStatus,
    Referral,
    Submitter,
    UndecidedReport,
    UndecidedReportRow,
)
from .spreadsheets import CsvWriter, xlsx_row
from .status import UNDECIDED_STATUSES

COLUMNS = [
    ("case_number", "Diarienummer"),
    ("title", "Rubrik"),
    ("submitters", "Motionär"),
    ("submitted_on", "Inlämnad"),
    ("deadline_on", "Beslut senast"),
    ("overdue", "Över ett år"),
    ("days_open", "Dagar"),
    ("preparing_organ", "Bereds av"),
    ("step", "Status"),
    ("comment", "Kommentar"),
]


def undecided_on(*, body, as_of: date):
    """Motions submitted by `as_of` and not decided by then. Only records under the one-year
    rule: a proposal the municipality's rules leave outside it has no deadline to report."""
    return (
        Motion.objects.filter(body=body, submitted_on__lte=as_of, deadline_on__isnull=False)
        .filter(Q(status__in=UNDECIDED_STATUSES) | Q(decided_on__gt=as_of))
        .order_by("submitted_on", "id")
    )


def empty_reason(*, body, as_of: date, today: date) -> str:
    """Why a report for this date lists nothing, or "" when it may list something."""
    if as_of > today:
        return _(
            "The date is in the future (today is %(today)s): no motion can be known to be undecided then."
        ) % {"today": today.isoformat()}
    first = Motion.objects.filter(body=body).aggregate(first=Min("submitted_on"))["first"]
    if first is None:
        return _("%(body)s has no motions registered.") % {"body": body}
    if as_of < first:
        return _("The date is before %(body)s's first motion, submitted %(first)s.") % {
            "body": body,
            "first": first.isoformat(),
        }
    return ""


def build_rows(*, body, as_of: date) -> list[UndecidedReportRow]:
    """Snapshot rows for every motion undecided on `as_of`, in three queries however many there
    are: submitters and referrals are fetched by subquery, not by a list of ids."""
    motions = undecided_on(body=body, as_of=as_of)
    ids = motions.values("pk")
    submitters, organs = defaultdict(list), {}
    for submitter in Submitter.objects.filter(motion_id__in=ids).select_related(
        "person", "party", "organ"
    ):
        submitters[submitter.motion_id].append(submitter.display_name)
    for referral in (
        Referral.objects.filter(motion_id__in=ids).select_related("organ").order_by("sent_on", "id")
    ):
        organs[referral.motion_id] = referral.organ.name  # the latest referral prepares it
    rows = []
    for number, motion in enumerate(motions):
        step = (
            MotionStatus(motion.status).label
            if motion.status in UNDECIDED_STATUSES
            else _("in preparation")
        )
        rows.append(
            UndecidedReportRow(
                motion=motion,
                sort_order=number,
                case_number=motion.case_number,
                title=motion.title[:300],
                submitters="; ".join(submitters[motion.pk])[:500],
                submitted_on=motion.submitted_on,
                deadline_on=motion.deadline_on,
                days_open=(as_of - motion.submitted_on).days,
                preparing_organ=organs.get(motion.pk, ""),
                step=str(step)[:60],
            )
        )
    return rows


@transaction.atomic
def report_prepare(*, body, as_of: date) -> UndecidedReport:
    """A draft report with a row for every motion undecided on `as_of`. The rows are inserted
    in batches (the database's parameter limit decides their size)."""
    rows = build_rows(body=body, as_of=as_of)
    report = UndecidedReport.objects.create(body=body, as_of=as_of)
    for row in rows:
        row.report = report
    UndecidedReportRow.objects.bulk_create(rows, batch_size=1000)
    return report


@transaction.atomic
def report_save_comments(*, report: UndecidedReport, comments: dict[int, str]) -> int:
    """Store the secretariat's comment per row; an issued report is a record and stays unchanged."""
    report = UndecidedReport.objects.select_for_update().get(pk=report.pk)
    if report.issued_at:
        raise ValidationError(
            _("This report was issued on %(date)s and can no longer be changed.")
            % {"date": report.issued_at.date().isoformat()}
        )
    rows = list(report.rows.filter(pk__in=comments.keys()))
    changed = [r for r in rows if r.comment != comments[r.pk]]
    for row in changed:
        row.comment = comments[row.pk]
    UndecidedReportRow.objects.bulk_update(changed, ["comment"], batch_size=1000)
    return len(changed)


@transaction.atomic
def report_issue(
    *, report: UndecidedReport, user=None, council_paragraph: str = ""
) -> UndecidedReport:
    """Issue the report: it becomes a record, and the motions past their deadline on its date
    are marked "reported undecided" (KL 5 kap. 35 §); a motion still inside its year is only
    listed, so it will still need the report once its year has run out."""
    report = UndecidedReport.objects.select_for_update().get(pk=report.pk)
    if report.issued_at:
        raise ValidationError(_("This report was already issued."))
    report.issued_at, report.issued_by, report.council_paragraph = (
        timezone.now(),
        user,
        council_paragraph,
    )
    report.save()
    motion_ids = list(
        report.rows.filter(deadline_on__lt=report.as_of).values_list("motion_id", flat=True)
    )
    Motion.objects.filter(pk__in=motion_ids).update(
        reported_undecided_on=report.as_of, reported_undecided_paragraph=council_paragraph
    )
    MotionEvent.objects.bulk_create(
        [
            MotionEvent(
                motion_id=pk,
                kind=EventKind.REPORTED_UNDECIDED,
                happened_on=report.as_of,
                paragraph=council_paragraph,
                user=user,
                reason=_("Report of undecided motions"),
            )
            for pk in motion_ids
        ],
        batch_size=1000,
    )
    return report


def _value(row: UndecidedReportRow, field: str):
    value = getattr(row, field)
    return ("Ja" if value else "Nej") if isinstance(value, bool) else value


def _cell(row: UndecidedReportRow, field: str):
    value = _value(row, field)
    return value.isoformat() if isinstance(value, date) else ("" if value is None else value)


def _rows(report: UndecidedReport):
    return list(report.rows.order_by("sort_order"))


def _title(report: UndecidedReport) -> str:
    return f"Redovisning av obesvarade motioner, {report.body}, {report.as_of.isoformat()}"


def export_csv(report: UndecidedReport) -> bytes:
    out = io.StringIO()
    writer = CsvWriter(out, delimiter=";")  # Swedish Excel's separator
    writer.writerow([label for _field, label in COLUMNS])
    for row in _rows(report):
        writer.writerow([_cell(row, field) for field, _label in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens Swedish letters correctly


def export_xlsx(report: UndecidedReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "Obesvarade motioner"
    sheet.append(xlsx_row(sheet, [_title(report)]))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(xlsx_row(sheet, [label for _field, label in COLUMNS]))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in _rows(report):
        sheet.append(xlsx_row(sheet, [_value(row, field) for field, _label in COLUMNS]))
    widths = [16, 50, 30, 12, 12, 10, 8, 24, 18, 50]
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for row_cells in sheet.iter_rows(min_row=3):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_pdf(report: UndecidedReport) -> bytes:
    """A landscape A4 table ready to attach to a council agenda, as a tagged PDF/UA: Swedish as
    its language, the report's title, column and row headers a screen reader announces
    (DOS-lagen: documents published after 2018-09-23 must be accessible, REQ-ACC-03)."""
    from weasyprint import HTML

    with translation.override("sv"):
        status = (
            _("Issued %(date)s") % {"date": report.issued_at.date().isoformat()}
            if report.issued_at
            else _("Draft")
        )
        html = render_to_string(
            "motions/reports/undecided_report_pdf.html",
            {
                "title": _title(report),
                "status": status,
                "headers": [label for _field, label in COLUMNS],
                "rows": [[_cell(row, field) for field, _label in COLUMNS] for row in _rows(report)],
            },
        )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


EXPORTS = {
    "csv": (export_csv, "text/csv; charset=utf-8"),
    "xlsx": (export_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": (export_pdf, "application/pdf"),
}
