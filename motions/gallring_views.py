"""Admin pages for gallring: the confirm form for one record, and the kept list of what was removed."""

from django import forms
from django.apps import apps
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.widgets import AdminDateInput

from . import access
from .gallring import (
    GALLRA_PERMISSION,
    GallringRefused,
    can_gallra,
    gallrable_models,
    gallring_preview,
    record_gallra,
)
from .models import GallringRecord


class GallringForm(forms.Form):
    decision_reference = forms.CharField(
        label=gettext_lazy("Gallringsbeslut or records management plan entry"),
        max_length=255,
        help_text=gettext_lazy("For example “KS 2026-00042, dokumenthanteringsplan 3.2.1”."),
    )
    decided_on = forms.DateField(
        label=gettext_lazy("Date of the gallringsbeslut"), widget=AdminDateInput
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm that this record and everything listed above is removed for good."
        )
    )


def _denied(request):
    return render(
        request,
        "motions/admin/gallring_denied.html",
        {"page_title": _("Gallring"), "header_icon": "bin"},
        status=403,
    )


def listing_url(model) -> str:
    viewset = getattr(model, "snippet_viewset", None)
    try:
        return reverse(viewset.get_url_name("list")) if viewset else reverse("motions_gallring")
    except NoReverseMatch:
        return reverse("motions_gallring")


def _edit_url(obj) -> str | None:
    viewset = getattr(type(obj), "snippet_viewset", None)
    try:
        return reverse(viewset.get_url_name("edit"), args=[obj.pk]) if viewset else None
    except NoReverseMatch:
        return None


@require_http_methods(["GET", "POST"])
def gallra(request, app_label: str, model_name: str, pk: int):
    """Confirm and carry out the gallring of one record; the service decides whether it may."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if model not in gallrable_models():
        raise Http404
    if not can_gallra(request.user):
        return _denied(request)
    # Another municipality's record is not found, as everywhere in the admin.
    obj = get_object_or_404(
        access.visible(request.user, model._default_manager.all(), GALLRA_PERMISSION), pk=pk
    )
    form = GallringForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_gallra(
                instance=obj,
                user=request.user,
                **{
                    name: form.cleaned_data[name]
                    for name in ("decision_reference", "decided_on", "reason")
                },
            )
        except GallringRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("%(type)s “%(record)s” was removed by gallring under %(reference)s.")
                % {
                    "type": capfirst(model._meta.verbose_name),
                    "record": obj,
                    "reference": form.cleaned_data["decision_reference"],
                },
            )
            return redirect(listing_url(model))
    blockers, parts = gallring_preview(obj)
    return render(
        request,
        "motions/admin/gallring_confirm.html",
        {
            "page_title": _("Gallring: %(record)s") % {"record": obj},
            "header_icon": "bin",
            "form": form,
            "object": obj,
            "record_type": capfirst(model._meta.verbose_name),
            "edit_url": _edit_url(obj),
            "blockers": blockers,
            "parts": parts,
        },
    )


def gallring_index(request):
    """Every record removed by gallring, newest first: read only, kept for good."""
    if not (can_gallra(request.user) or request.user.has_perm("motions.view_gallringrecord")):
        return _denied(request)
    records = access.visible(request.user, GallringRecord.objects.select_related("user"))
    return render(
        request,
        "motions/admin/gallring_index.html",
        {
            "page_title": _("Gallring"),
            "header_icon": "bin",
            "records": records[:200],
        },
    )
