"""Admin views for the lifecycle: transition forms, the undecided-motions report and the
end-of-term write-off. Thin: each view validates a form and calls a service."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin.ui.components import Component

from . import access, reports, services, steps
from .deadlines import decision_legal_effect, motion_deadline_status
from .filters import whole_number
from .forms import PERSONAL_IDS_CHECKED, log_personal_ids_checked, refuse_personal_ids
from .lifecycle_forms import ACTIONS, ReportDateForm
from .models import (
    Body,
    Decision,
    Meeting,
    Motion,
    MotionStatus,
    ReminderClaim,
    Term,
    UndecidedReport,
    WriteOffGround,
)
from .personal_ids import find_personal_ids


def _require_change(request):
    if not request.user.has_perm("motions.change_motion"):
        raise PermissionDenied


def _require_view(request):
    """Reading a report: the secretariat and the auditors (who change nothing)."""
    if request.method != "GET":
        _require_change(request)
    elif not request.user.has_perm("motions.view_motion"):
        raise PermissionDenied


CHANGE = "motions.change_motion"


def _reachable(request, queryset, permission: str | None = None):
    """`queryset`'s rows the user's roles reach: a motion or report elsewhere is not found.
    Without `permission`: to read on a GET, to change (through a role that may) on a POST."""
    if permission is None and request.method != "GET":
        permission = CHANGE
    return access.visible(request.user, queryset, permission)


def _edit_url(motion):
    return reverse("wagtailsnippets_motions_motion:edit", args=[motion.pk])


def _messages_for(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


def _chosen_body(data, bodies):
    """The municipality a form names, among the user's own (the first when it names none);
    naming another is not found, never quietly replaced by the user's own."""
    if not data.get("body"):
        return bodies[0] if bodies else None
    chosen = next((body for body in bodies if str(body.pk) == data["body"]), None)
    if chosen is None:
        raise Http404
    return chosen


@require_http_methods(["GET", "POST"])
def motion_action(request, pk: int, action: str):
    """One lifecycle step as a small form. A step that is not possible now (`motions.steps`)
    is not offered: opening it shows the reason instead of the form, and posting it changes
    nothing; the service checks the same rule again under the motion's lock."""
    _require_change(request)
    form_class = ACTIONS.get(action)
    if form_class is None:
        raise Http404
    motion = get_object_or_404(
        _reachable(request, Motion.objects.select_related("body", "raised_at"), CHANGE), pk=pk
    )
    refused = steps.refusal(steps.situation_of(motion), action)
    form = form_class(
        request.POST or None,
        motion=motion,
        user=request.user,
        initial=request.GET.dict() if request.method == "GET" else None,
    )
    if request.method == "POST" and not refused and form.is_valid():
        try:
            form.submit()
        except ValidationError as error:
            _messages_for(request, error)
        else:
            messages.success(
                request,
                _("%(action)s: %(case)s")
                % {"action": form_class.label, "case": motion.case_number},
            )
            return redirect(_edit_url(motion))
    return render(
        request,
        "motions/admin/action.html",
        {
            "page_title": f"{form_class.label}: {motion.case_number}",
            "header_icon": "doc-full",
            "form": form,
            "refused": refused,
            "motion": motion,
            "edit_url": _edit_url(motion),
        },
    )


@require_http_methods(["GET", "POST"])
def report_index(request):
    """Pick a municipality and a date; preparing makes a draft report to comment and issue.
    Only the user's own municipalities are offered or accepted."""
    _require_view(request)
    form = ReportDateForm(request.POST or None, initial={"as_of": timezone.localdate()})
    bodies = list(_reachable(request, Body.objects.all()))
    body = _chosen_body(request.POST, bodies)
    if request.method == "POST" and form.is_valid() and body:
        report = reports.report_prepare(body=body, as_of=form.cleaned_data["as_of"])
        return redirect("motions_report_detail", pk=report.pk)
    return render(
        request,
        "motions/admin/report_index.html",
        {
            "page_title": _("Report of undecided motions"),
            "header_icon": "list-ul",
            "form": form,
            "bodies": bodies,
            "body": body,
            "reports": _reachable(
                request, UndecidedReport.objects.select_related("body", "issued_by")
            )[:50],
            "may_change": request.user.has_perm("motions.change_motion"),
        },
    )


@require_http_methods(["GET", "POST"])
def report_detail(request, pk: int):
    _require_view(request)
    report = get_object_or_404(
        _reachable(request, UndecidedReport.objects.select_related("body", "issued_by")), pk=pk
    )
    if request.method == "POST":
        comments = {
            row: value.strip()
            for key, value in request.POST.items()
            if key.startswith("comment-")
            and (row := whole_number(key.removeprefix("comment-"))) is not None
        }
        try:
            reports.report_save_comments(report=report, comments=comments)
            if "issue" in request.POST:
                reports.report_issue(
                    report=report,
                    user=request.user,
                    council_paragraph=request.POST.get("council_paragraph", "").strip()[:20],
                )
                messages.success(
                    request,
                    _(
                        "The report was issued; its motions past the one-year deadline were "
                        "marked as reported undecided."
                    ),
                )
            else:
                messages.success(request, _("Comments saved."))
        except ValidationError as error:
            _messages_for(request, error)
        return redirect("motions_report_detail", pk=report.pk)
    rows = list(report.rows.order_by("sort_order"))
    return render(
        request,
        "motions/admin/report_detail.html",
        {
            "page_title": _("Report of undecided motions"),
            "header_icon": "list-ul",
            "report": report,
            "rows": rows,
            "empty_reason": ""
            if rows
            else reports.empty_reason(
                body=report.body, as_of=report.as_of, today=timezone.localdate()
            ),
            "formats": list(reports.EXPORTS),
            "may_change": request.user.has_perm("motions.change_motion"),
        },
    )


@require_http_methods(["GET"])
def report_export(request, pk: int, fmt: str):
    _require_view(request)
    if fmt not in reports.EXPORTS:
        raise Http404
    report = get_object_or_404(
        _reachable(request, UndecidedReport.objects.select_related("body")), pk=pk
    )
    build, content_type = reports.EXPORTS[fmt]
    response = HttpResponse(build(report), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="obesvarade-motioner-{report.body.slug}-{report.as_of.isoformat()}.{fmt}"'
    )
    return response


@require_http_methods(["GET", "POST"])
def bulk_write_off(request):
    """End of term: select undecided motions (by term), untick exceptions, record consent,
    and register one write-off decision for all of them. Only the user's own municipalities'
    motions and meetings are offered or accepted."""
    _require_change(request)
    bodies = list(_reachable(request, Body.objects.all(), CHANGE))
    data = request.POST if request.method == "POST" else request.GET
    body = _chosen_body(data, bodies)
    terms = list(Term.objects.filter(body=body)) if body else []
    term = next((t for t in terms if str(t.pk) == data.get("term")), None)
    # Undecided motions, and withdrawn ones still to be written off.
    motions = _reachable(request, Motion.objects.filter(body=body), CHANGE).filter(
        Q(pk__in=Motion.objects.undecided()) | Q(status=MotionStatus.WITHDRAWN)
    )
    if term:
        motions = motions.filter(
            Q(term=term) | Q(term__isnull=True, submitted_on__range=(term.starts_on, term.ends_on))
        )
    motions = list(motions.order_by("submitted_on", "id")[:2000])
    meetings = list(
        _reachable(
            request,
            Meeting.objects.filter(organ__body=body, organ__kind="council").select_related("organ"),
            CHANGE,
        )[:100]
    )
    title = request.POST.get("title") or _("Write-off of undecided motions")
    reason = request.POST.get("reason", "")
    if request.method == "POST" and "register" in request.POST:
        selected = [m for m in motions if f"motion-{m.pk}" in request.POST]
        meeting = next((m for m in meetings if str(m.pk) == request.POST.get("meeting")), None)
        try:
            if meeting is None:
                raise ValidationError(_("Choose the council meeting that decided the write-off."))
            paragraph = whole_number(request.POST.get("paragraph", "")) or 0
            if paragraph < 1:
                raise ValidationError(_("Give the decision's § number."))
            # The title and reason are published with the decision and on every motion.
            checked = refuse_personal_ids(
                {_("Title"): title, _("Reason"): reason},
                confirmed=PERSONAL_IDS_CHECKED in request.POST,
                may_confirm=request.user.has_perm("motions.publish_decision"),
            )
            with transaction.atomic():
                decision = services.motions_write_off_bulk(
                    body=body,
                    motions=selected,
                    meeting=meeting,
                    paragraph=paragraph,
                    decided_on=date.fromisoformat(
                        request.POST.get("decided_on") or meeting.date.isoformat()
                    ),
                    title=title,
                    legal_ground=request.POST.get("legal_ground", ""),
                    reason=reason,
                    consents={m.pk: f"consent-{m.pk}" in request.POST for m in selected},
                    user=request.user,
                )
                if checked:
                    log_personal_ids_checked(decision, user=request.user, fields=checked)
        except (ValidationError, ValueError) as error:
            _messages_for(
                request,
                error if isinstance(error, ValidationError) else ValidationError(str(error)),
            )
        else:
            messages.success(
                request,
                _("%(count)d motions written off by § %(paragraph)d.")
                % {"count": len(selected), "paragraph": decision.paragraph},
            )
            return redirect(reverse("wagtailsnippets_motions_decision:edit", args=[decision.pk]))
    return render(
        request,
        "motions/admin/bulk_write_off.html",
        {
            "page_title": _("Write off undecided motions"),
            "header_icon": "cross",
            "bodies": bodies,
            "body": body,
            "terms": terms,
            "term": term,
            "motions": motions,
            "meetings": meetings,
            "grounds": WriteOffGround.choices,
            "post": request.POST,
            "personal_ids_flagged": bool(find_personal_ids(f"{title}\n{reason}")),
        },
    )


class DeadlinePanel(Component):
    """Dashboard: approaching and overdue motions and late referral responses (fixed queries)."""

    name = "motion_deadlines"
    template_name = "motions/admin/deadline_panel.html"
    order = 90
    limit = 20

    def get_context_data(self, parent_context):
        from .models import Referral

        user = parent_context["request"].user
        today = timezone.localdate()
        bodies = access.visible(user, Body.objects.all())
        window = max(bodies.values_list("approaching_window_days", flat=True), default=60)
        undecided = (
            access.visible(user, Motion.objects.undecided())
            .select_related("body")
            .order_by("deadline_on")
        )
        overdue = [
            (m, motion_deadline_status(m, today=today))
            for m in undecided.filter(deadline_on__lt=today)[: self.limit]
        ]
        soon = [
            (m, motion_deadline_status(m, today=today))
            for m in undecided.filter(
                deadline_on__gte=today, deadline_on__lte=today + timedelta(days=window)
            )[: self.limit]
        ]
        late = list(
            access.visible(user, Referral.objects.all())
            .filter(
                answered_on__isnull=True,
                due_on__lt=today,
                motion__in=Motion.objects.undecided(),
            )
            .select_related("organ", "motion")
            .order_by("due_on")[: self.limit]
        )
        failed = access.visible(user, ReminderClaim.objects.exclude(error="")).count()
        return {
            "overdue": overdue,
            "approaching": [(m, s) for m, s in soon if s.approaching],
            "late_referrals": late,
            "failed_reminders": failed,
            "report_url": reverse("motions_report_index"),
        }


def decision_warnings(decision: Decision) -> list[str]:
    """Admin warnings on a decision's minutes and notice dates."""
    effect = decision_legal_effect(decision, today=timezone.localdate())
    warnings = []
    if effect.late_approval:
        warnings.append(_("The minutes were approved more than 14 days after the meeting."))
    if effect.late_notice:
        warnings.append(
            _("The notice was posted more than 2 days after the minutes were approved.")
        )
    return warnings
