"""An admin import run's steps: upload, mapping, dry run, commit, cancel, and the background
run itself (`tasks.import_run_execute`). `registers.importing` reads the file and writes the
records; this module keeps the `ImportRun` that the admin shows.

The import is one transaction (all or nothing), so what happens while it is open cannot be
written to the run's row: another request would not see it (PostgreSQL) or could not write
at all (SQLite, one writer). Progress and the cancel flag therefore travel through the cache,
which every process shares when `CACHE_URL` is set (Redis) and every thread of one process
shares without it (tasks run eagerly then). The cancel flag is written to the run's row as
well, and the run reads it there too: PostgreSQL's read committed shows it inside the open
transaction, so a cancel arrives even without a shared cache. The row gets the final counts
when the run ends.
"""

import logging
import time
from datetime import timedelta

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motions import access
from motions.models import Body

from . import importing
from .models import FINISHED, ImportMapping, ImportRun, ImportStatus

logger = logging.getLogger(__name__)

# Seconds between two progress writes and between two looks at the cancel flag: often enough
# for the progress bar, rarely enough to cost nothing next to the rows.
PROGRESS_EVERY = 0.5
CACHE_SECONDS = 24 * 3600
# An upload nobody imports is discarded (its file holds personal data) after this long; a
# run still "running" after a day lost its worker (an import takes minutes).
ABANDONED_AFTER = timedelta(days=7)
STALLED_AFTER = timedelta(days=1)


def importable_bodies(user) -> QuerySet[Body]:
    """The municipalities whose register `user` may import: where a role of theirs may add
    motions (`motions.access`; an auditor there may not). A superuser: all."""
    return access.visible(user, Body.objects.all(), "motions.add_motion")


def runs_for(user) -> QuerySet[ImportRun]:
    """The runs `user` may see and act on: those of the municipalities they may import into."""
    return ImportRun.objects.filter(body__in=importable_bodies(user))


# --- the steps ---------------------------------------------------------------------------


def initial_mapping(*, body: Body, headings: list[str]) -> dict[str, str]:
    """Each heading's field: as the municipality's last mapping had it, else as the engine
    suggests (a field the remembered mapping already uses is not suggested twice)."""
    stored = ImportMapping.objects.filter(body=body).values_list("mapping", flat=True).first()
    stored = stored or {}
    mapping = {heading: stored[heading] for heading in headings if heading in stored}
    taken = set(mapping.values())
    new = [heading for heading in headings if heading not in mapping]
    suggested = importing.suggest_mapping(new) if new else {}
    for heading in new:
        key = suggested.get(heading, "")
        mapping[heading] = key if key and key not in taken else ""
        taken.add(mapping[heading])
    return {heading: mapping[heading] for heading in headings}


def run_upload(*, body: Body, user, filename: str, content: bytes) -> ImportRun:
    """Read the file once (a whole-file problem raises `ImportFileError` and stores nothing)
    and keep it with the mapping to start from."""
    table = importing.read_table(content, filename=filename)
    headings = [heading for heading in table.headings if heading]
    return ImportRun.objects.create(
        body=body,
        user=user,
        filename=filename[:255],
        size=len(content),
        content=content,
        headings=headings,
        row_count=table.row_count,
        mapping=initial_mapping(body=body, headings=headings),
    )


def run_map_and_check(*, run: ImportRun, mapping: dict[str, str], user) -> list:
    """Save a valid mapping (on the run, and remembered for the municipality's next file)
    and make the dry run. An invalid mapping is returned as errors and changes nothing."""
    if run.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKED):
        return [importing.RowError(0, "", _("This import has already been started."))]
    errors = importing.check_mapping(mapping)
    if errors:
        return errors
    chosen = {heading: key for heading, key in mapping.items() if key}
    plan = importing.plan_import(body=run.body, table=_table(run), mapping=chosen)
    with transaction.atomic():
        remembered, _created = ImportMapping.objects.select_for_update().get_or_create(
            body=run.body
        )
        remembered.mapping = {**remembered.mapping, **mapping}
        remembered.updated_by = user
        remembered.save()
        run.mapping = mapping
        _store_plan(run, plan)
        run.status = ImportStatus.CHECKED
        run.save()
    return []


def run_commit(*, run: ImportRun, user) -> bool:
    """Start the import of a run whose dry run found no errors (the caller enqueues the task
    on commit). Returns whether it was started."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != ImportStatus.CHECKED or run.errors:
            return False
        run.status = ImportStatus.RUNNING
        run.progress_done, run.progress_total = 0, run.row_count
        run.label = _("Import %(date)s of %(filename)s") % {
            "date": timezone.localdate().isoformat(),
            "filename": run.filename,
        }
        run.save()
    return True


def run_uncommit(*, run: ImportRun) -> None:
    """Back to the dry run, for a run whose task could not be queued (and so never started)."""
    ImportRun.objects.filter(
        pk=run.pk, status=ImportStatus.RUNNING, started_at__isnull=True
    ).update(status=ImportStatus.CHECKED, label="")


def run_cancel(*, run: ImportRun) -> None:
    """Stop a run: one not started yet (or never committed) ends at once and its file is
    deleted; a running one stops at its next look at the flag and rolls back."""
    if run.finished:
        return
    cache.set(_cancel_key(run.pk), True, CACHE_SECONDS)
    try:
        ImportRun.objects.filter(pk=run.pk).update(cancel_requested=True)
        # Not committed yet, or committed and still waiting for a worker: claim it, so no
        # worker starts it after this.
        unstarted = ImportRun.objects.filter(pk=run.pk, started_at__isnull=True).exclude(
            status__in=FINISHED
        )
        if unstarted.update(started_at=timezone.now()):
            _finish(run.pk, ImportStatus.CANCELLED)
    except DatabaseError:
        # SQLite while an import holds its one write lock: the cache carries the flag.
        logger.warning("Import %s: cancel flag kept in the cache only", run.pk)


def progress_of(run: ImportRun) -> tuple[int, int]:
    """Rows done and rows in all, as far as the admin can know now."""
    if run.status == ImportStatus.RUNNING:
        reported = cache.get(_progress_key(run.pk))
        if reported:
            return tuple(reported)
    return run.progress_done, run.progress_total


def runs_sweep(*, now) -> int:
    """Discard uploads left unimported for `ABANDONED_AFTER`, and end runs whose worker was
    lost. Their files are deleted; nothing they would have imported was written. Returns how
    many runs were ended."""
    abandoned = ImportRun.objects.filter(
        status__in=(ImportStatus.UPLOADED, ImportStatus.CHECKED),
        created_at__lt=now - ABANDONED_AFTER,
    )
    stalled = ImportRun.objects.filter(
        status=ImportStatus.RUNNING, created_at__lt=now - STALLED_AFTER
    )
    ended = 0
    for run_id in abandoned.values_list("pk", flat=True):
        _finish(run_id, ImportStatus.CANCELLED, message=_("Discarded: not imported in 7 days."))
        ended += 1
    for run_id in stalled.values_list("pk", flat=True):
        _finish(
            run_id,
            ImportStatus.FAILED,
            message=_("The import did not finish (its worker stopped); nothing was changed."),
        )
        ended += 1
    return ended


# --- the background run ------------------------------------------------------------------


def run_execute(*, run_id: int) -> str | None:
    """The import itself, in a Celery task: all or nothing, with progress and cancelling.
    Runs once: a second delivery of the same task finds the run claimed and does nothing."""
    claimed = ImportRun.objects.filter(
        pk=run_id, status=ImportStatus.RUNNING, started_at__isnull=True
    ).update(started_at=timezone.now())
    if not claimed:
        return None
    run = ImportRun.objects.select_related("body", "user").get(pk=run_id)
    if run.cancel_requested or cache.get(_cancel_key(run_id)):
        return _finish(run_id, ImportStatus.CANCELLED)
    reporter = _Reporter(run_id)
    try:
        plan = importing.run_import(
            body=run.body,
            table=_table(run),
            mapping=run.engine_mapping,
            user=run.user,
            label=run.label,
            progress=reporter.progress,
            should_stop=reporter.should_stop,
        )
    except importing.ImportCancelled:
        return _finish(run_id, ImportStatus.CANCELLED, done=reporter.done)
    except importing.ImportRefused as refused:
        return _finish(run_id, ImportStatus.REFUSED, plan=refused.plan)
    except importing.ImportFileError as error:
        return _finish(run_id, ImportStatus.FAILED, message=str(error))
    except Exception:
        # Recorded on the run and logged (Sentry); not raised, which with eager tasks would
        # turn the secretary's commit into a server error. All or nothing: nothing changed.
        logger.exception("Import %s failed", run_id)
        return _finish(
            run_id,
            ImportStatus.FAILED,
            message=_("The import stopped on an unexpected error; nothing was changed."),
        )
    return _finish(run_id, ImportStatus.DONE, plan=plan, done=run.row_count)


class _Reporter:
    """The engine's `progress` and `should_stop`, written and read outside its transaction."""

    def __init__(self, run_id: int):
        self.run_id = run_id
        self.done = 0
        self._written = self._looked = float("-inf")

    def progress(self, done: int, total: int) -> None:
        self.done = done
        now = time.monotonic()
        if done >= total or now - self._written >= PROGRESS_EVERY:
            self._written = now
            cache.set(_progress_key(self.run_id), (done, total), CACHE_SECONDS)

    def should_stop(self) -> bool:
        now = time.monotonic()
        if now - self._looked < PROGRESS_EVERY:
            return False
        self._looked = now
        if cache.get(_cancel_key(self.run_id)):
            return True
        return ImportRun.objects.filter(pk=self.run_id, cancel_requested=True).exists()


def _finish(run_id, status, *, plan=None, done=None, message="") -> str:
    """End a run: its outcome on the row, and the uploaded file deleted (privacy)."""
    run = ImportRun.objects.get(pk=run_id)
    run.status = status
    run.finished_at = timezone.now()
    run.content = None
    run.message = message
    if plan is not None:
        _store_plan(run, plan)
    if done is not None:
        run.progress_done = done
    run.save()
    cache.delete_many([_progress_key(run_id), _cancel_key(run_id)])
    return status


def _store_plan(run: ImportRun, plan) -> None:
    run.creates, run.updates, run.skips = plan.creates, plan.updates, plan.skips
    run.errors = [
        {"row": error.row, "column": error.column, "message": str(error.message)}
        for error in plan.errors
    ]


def _table(run: ImportRun):
    return importing.read_table(bytes(run.content), filename=run.filename)


def _progress_key(run_id) -> str:
    return f"registers:import:{run_id}:progress"


def _cancel_key(run_id) -> str:
    return f"registers:import:{run_id}:cancel"
