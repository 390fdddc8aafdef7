"""The secretariat's list of late reporters: open commitments of its own municipality whose
follow-up is overdue, with the organ that owes it and the reminders its officers were sent."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motions import access

from . import reminders

PER_PAGE = 50


def may_see_late_reporters(user) -> bool:
    return user.has_perm("plans.view_commitment") and bool(
        access.reach(user).bodies or user.is_superuser
    )


@require_GET
def late_reporters(request):
    """A page of late commitments, the longest overdue first; a fixed number of queries."""
    if not may_see_late_reporters(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    late = access.visible(
        request.user,
        reminders.late_commitments(today=today).select_related("responsible_organ", "body"),
    )
    page = Paginator(late, PER_PAGE).get_page(request.GET.get("p"))
    commitments = list(page.object_list)
    ids = [c.pk for c in commitments]
    sent = reminders.sent_reminders(ids)
    waiting = reminders.awaiting_approval(ids)
    rows = []
    for commitment in commitments:
        due = reminders.due_on(commitment.followup_since)
        rows.append(
            {
                "commitment": commitment,
                "due": due,
                "days_late": (today - due).days,
                "waiting": commitment.pk in waiting,
                "reminders": sent.get(commitment.pk, []),
            }
        )
    return render(
        request,
        "plans/admin/late_reporters.html",
        {
            "page_title": _("Late follow-ups"),
            "header_icon": "warning",
            "rows": rows,
            "page": page,
            "show_body": access.sees_many_bodies(request.user),
        },
    )
