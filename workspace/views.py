"""The political group's workspace in the admin: one page and the watchlist's two buttons."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services


def _parties(request):
    parties = selectors.parties_of(request.user)
    if not parties:
        raise PermissionDenied
    return parties


def workspace_index(request):
    parties = _parties(request)
    watches = selectors.watches_of(request.user, bodies={p.body_id for p in parties})
    today = timezone.localdate()
    return render(
        request,
        "workspace/index.html",
        {
            "page_title": _("Workspace"),
            "header_icon": "clipboard-list",
            "parties": parties,
            "rows": selectors.party_motions(
                parties, watched_motions={w.motion_id for w in watches}, today=today
            ),
            "watches": watches,
            "watched_commitments": {w.commitment_id for w in watches if w.commitment_id},
            "today": today,
        },
    )


@require_POST
def watch_add(request):
    _parties(request)
    try:
        services.watch_add(
            user=request.user,
            kind=request.POST.get("kind", ""),
            pk=request.POST.get("id", ""),
            case_number=request.POST.get("case_number", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Added to your watchlist."))
    return redirect("workspace_index")


@require_POST
def watch_remove(request, pk: int):
    _parties(request)
    try:
        services.watch_remove(user=request.user, watch_id=pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed from your watchlist."))
    return redirect("workspace_index")
