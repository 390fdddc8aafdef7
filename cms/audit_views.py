"""The admin's audit log ("Granskningslogg", REQ-OFF-03): the log of the user's own
municipality, filtered, 50 entries a page, and the same filtered log as CSV."""

from functools import wraps

from django import forms
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_GET
from wagtail.admin.widgets import AdminDateInput
from wagtail.log_actions import registry as log_action_registry

from motions import access, audit
from motions.spreadsheets import CsvWriter

PER_PAGE = 50
EXPORT_BATCH = 500


class AuditFilterForm(forms.Form):
    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=AdminDateInput)
    until = forms.DateField(label=gettext_lazy("To"), required=False, widget=AdminDateInput)
    user = forms.TypedChoiceField(
        label=gettext_lazy("User"), required=False, coerce=int, empty_value=None
    )
    action = forms.ChoiceField(label=pgettext_lazy("audit log", "Action"), required=False)
    record_type = forms.ChoiceField(label=gettext_lazy("Record type"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = ("", _("Everyone"))
        self.fields["user"].choices = [
            everyone,
            *(
                (person.pk, person.get_full_name() or person.get_username())
                for person in audit.log_users(user)
            ),
        ]
        self.fields["action"].choices = [("", _("All actions")), *log_action_registry.get_choices()]
        self.fields["record_type"].choices = [("", _("All records")), *audit.record_types()]

    def audit_filter(self) -> audit.AuditFilter:
        """The valid parts of the filter; a part that does not parse is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return audit.AuditFilter(
            since=data.get("since"),
            until=data.get("until"),
            user_id=data.get("user"),
            action=data.get("action") or "",
            record_type=data.get("record_type") or "",
        )


def _refused(request, title, reason):
    """A 403 that says why, and points a reader of the audit log to it."""
    return render(
        request,
        "cms/admin/audit_refused.html",
        {
            "page_title": title,
            "header_icon": "history",
            "reason": reason,
            "can_read_log": audit.can_read_log(request.user),
        },
        status=403,
    )


def _log_readers_only(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not audit.can_read_log(request.user):
            return _refused(
                request,
                _("Audit log"),
                _("The audit log is read by the secretariat and the auditors of a municipality."),
            )
        return view(request, *args, **kwargs)

    return checked


@require_GET
@_log_readers_only
def audit_log(request):
    form = AuditFilterForm(request.GET or None, user=request.user)
    paginator = Paginator(audit.audit_log(request.user, form.audit_filter()), PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "cms/admin/audit_log.html",
        {
            "page_title": _("Audit log"),
            "header_icon": "history",
            "form": form,
            "page_obj": page,
            "rows": audit.audit_rows(request.user, page.object_list),
            "show_body": access.sees_many_bodies(request.user),
            "export_query": query.urlencode(),
        },
    )


class _Echo:
    """A file-like object whose write() hands the line back, for a CSV writer in a generator."""

    def write(self, value):
        return value


def _batches(rows, size):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@require_GET
@_log_readers_only
def audit_log_export(request):
    """Every entry of the filtered log, streamed a batch at a time; every cell passes
    `CsvWriter`, so a record titled "=..." is text in a spreadsheet, not a formula."""
    user = request.user
    form = AuditFilterForm(request.GET or None, user=user)
    # The ids and times of the whole filtered log are small; entries are read a batch at a time.
    rows = list(audit.audit_log(user, form.audit_filter()))
    writer = CsvWriter(_Echo())
    columns = [
        _("Time"),
        _("User"),
        _("Municipality"),
        _("Record type"),
        _("Record id"),
        _("Record"),
        pgettext("audit log", "Action"),
        _("Changes"),
    ]

    def lines():
        yield "\ufeff"  # a BOM, so spreadsheet programs read the file as UTF-8 (å, ä, ö)
        yield writer.writerow(columns)
        for batch in _batches(rows, EXPORT_BATCH):
            yield "".join(
                writer.writerow(
                    [
                        timezone.localtime(row.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
                        row.user,
                        row.body,
                        row.record_type,
                        row.record_id,
                        row.record,
                        row.action,
                        "\n".join(str(change) for change in row.changes),
                    ]
                )
                for row in audit.audit_rows(user, batch)
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"granskningslogg-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def superusers_only(view):
    """Wrap one of Wagtail's reports across every municipality (site history, workflows):
    a superuser gets the report, anyone else a 403 pointing to the audit log."""
    if getattr(view, "superusers_only", False):
        return view

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.is_superuser:
            return _refused(
                request,
                _("Only for administrators"),
                _(
                    "This report lists the records of every municipality in the installation, "
                    "so only administrators may read it."
                ),
            )
        return view(request, *args, **kwargs)

    checked.superusers_only = True
    return checked
