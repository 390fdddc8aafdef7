"""The secretary's register import in the admin: upload, map the columns, read the dry run,
commit, and follow the run. Thin: each view checks who may, and calls `import_runs`.

Only the municipalities where the user's secretariat role may add motions are offered, and a
run of any other municipality is not found (404), whatever the URL.
"""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from kombu.exceptions import OperationalError as KombuOperationalError

from . import import_runs, importing, tasks
from .forms import MappingForm, UploadForm
from .models import ImportRun, ImportStatus

logger = logging.getLogger(__name__)

# Seconds between two refreshes of a running import's page.
REFRESH_SECONDS = 2


def _bodies(request):
    bodies = import_runs.importable_bodies(request.user)
    if not bodies.exists():
        raise PermissionDenied
    return bodies


def _run(request, pk: int) -> ImportRun:
    return get_object_or_404(
        import_runs.runs_for(request.user).select_related("body", "user"), pk=pk
    )


def _step_url(run: ImportRun) -> str:
    """Where a run continues: its mapping, its dry run, or the run page."""
    if run.status == ImportStatus.UPLOADED:
        return reverse("registers_import_mapping", args=[run.pk])
    if run.status == ImportStatus.CHECKED:
        return reverse("registers_import_report", args=[run.pk])
    return reverse("registers_import_run", args=[run.pk])


@require_http_methods(["GET", "POST"])
def import_index(request):
    """Step 1: choose the municipality and the file; and the municipality's earlier runs."""
    bodies = _bodies(request)
    form = UploadForm(request.POST or None, request.FILES or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = import_runs.run_upload(
                body=form.cleaned_data["body"],
                user=request.user,
                filename=upload.name,
                content=upload.read(),
            )
        except importing.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect(_step_url(run))
    runs = list(import_runs.runs_for(request.user).for_list()[:30])
    return render(
        request,
        "registers/admin/import_index.html",
        {
            "page_title": _("Import register"),
            "header_icon": "upload",
            "form": form,
            "runs": [(run, _step_url(run)) for run in runs],
            "names_bodies": len(bodies) > 1,
        },
    )


@require_GET
def import_template(request):
    """The empty workbook with the columns the import reads, and an example row."""
    _bodies(request)
    response = HttpResponse(
        importing.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="beslutsspar-importmall.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def import_mapping(request, pk: int):
    """Step 2: a field for every column; saving remembers it and makes the dry run."""
    run = _run(request, pk)
    if run.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKED):
        return redirect(_step_url(run))
    form = MappingForm(request.POST or None, headings=run.headings, initial_mapping=run.mapping)
    errors = []
    if request.method == "POST" and form.is_valid():
        errors = import_runs.run_map_and_check(run=run, mapping=form.mapping(), user=request.user)
        if not errors:
            return redirect("registers_import_report", pk=run.pk)
    return render(
        request,
        "registers/admin/import_mapping.html",
        {
            "page_title": _("Import register: columns"),
            "header_icon": "upload",
            "run": run,
            "form": form,
            "errors": errors,
            "fields": importing.FIELDS,
        },
    )


@require_GET
def import_report(request, pk: int):
    """Step 3: the dry run: rows to create, update and leave, and every row error."""
    run = _run(request, pk)
    if run.status != ImportStatus.CHECKED:
        return redirect(_step_url(run))
    return render(
        request,
        "registers/admin/import_report.html",
        {
            "page_title": _("Import register: dry run"),
            "header_icon": "upload",
            "run": run,
        },
    )


@require_POST
def import_commit(request, pk: int):
    """Step 4: start the import (only after a dry run without errors)."""
    run = _run(request, pk)
    if not import_runs.run_commit(run=run, user=request.user):
        messages.error(
            request, _("Only a dry run without errors can be imported; nothing was changed.")
        )
        return redirect(_step_url(run))
    try:
        # No transaction is open here: this sends now (or, without a broker, runs the import).
        tasks.import_run_execute.delay_on_commit(run.pk)
    except KombuOperationalError:
        logger.warning("Import %s: the broker is unreachable", run.pk, exc_info=True)
        import_runs.run_uncommit(run=run)
        messages.error(
            request,
            _(
                "The import could not be started (the task queue does not answer); nothing was "
                "changed. Try again in a moment."
            ),
        )
        return redirect("registers_import_report", pk=run.pk)
    return redirect("registers_import_run", pk=run.pk)


@require_GET
def import_run(request, pk: int):
    """The run: its progress while it runs (the page refreshes itself), then its outcome."""
    run = _run(request, pk)
    if run.status in (ImportStatus.UPLOADED, ImportStatus.CHECKED):
        return redirect(_step_url(run))
    done, total = import_runs.progress_of(run)
    refresh = run.status == ImportStatus.RUNNING and request.GET.get("refresh") != "0"
    return render(
        request,
        "registers/admin/import_run.html",
        {
            "page_title": _("Import register: %(file)s") % {"file": run.filename},
            "header_icon": "upload",
            "run": run,
            "done": done,
            "total": total,
            "percent": round(100 * done / total) if total else 0,
            "refresh": REFRESH_SECONDS if refresh else None,
        },
    )


@require_POST
def import_cancel(request, pk: int):
    """Cancel a run (or discard an upload): nothing it would have changed is changed."""
    run = _run(request, pk)
    if run.finished:
        messages.error(request, _("This import has already ended."))
    else:
        import_runs.run_cancel(run=run)
        messages.info(request, _("The import is being cancelled; nothing will be changed."))
    return redirect("registers_import_run", pk=run.pk)
