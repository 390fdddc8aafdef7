"""The admin's register import: a municipality's remembered column mapping, and one upload's
way from file to committed records (`registers.importing` does the reading and writing)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motions.models import Body, Scope


class ImportMapping(models.Model):
    """The columns a municipality's files used last: heading -> field key ("" for a column
    the secretary chose to ignore). The next upload starts from it."""

    access_scope = Scope(bodies=("body",))

    body = models.OneToOneField(
        Body,
        on_delete=models.CASCADE,
        related_name="import_mapping",
        verbose_name=_("municipality"),
    )
    mapping = models.JSONField(_("column mapping"), default=dict)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")

    def __str__(self):
        return str(self.body)


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKED = "checked", _("Checked (dry run)")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")
    REFUSED = "refused", _("Refused")


FINISHED = (
    ImportStatus.DONE,
    ImportStatus.CANCELLED,
    ImportStatus.FAILED,
    ImportStatus.REFUSED,
)


class ImportRunQuerySet(models.QuerySet):
    def for_list(self):
        """The run list's columns, without the uploaded files (up to 10 MB each)."""
        return self.select_related("body", "user").defer("content").order_by("-created_at")


class ImportRun(models.Model):
    """One uploaded file on its way in: upload, mapping, dry run, commit (a Celery task).

    The file is kept in the database, not on disk, so that a worker on another host can read
    it. It holds personal data (submitters' names), so it is emptied as soon as the run ends:
    committed, cancelled, refused or failed (`registers.tasks`); what stays is the file's name,
    the mapping, the counts and the row errors.
    """

    access_scope = Scope(bodies=("body",))

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="import_runs", verbose_name=_("municipality")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    content = models.BinaryField(_("file content"), null=True, blank=True, editable=False)
    headings = models.JSONField(_("column headings"), default=list)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    mapping = models.JSONField(_("column mapping"), default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    # The dry run's (and, once committed, the run's own) counts and row errors.
    creates = models.PositiveIntegerField(_("to create"), default=0)
    updates = models.PositiveIntegerField(_("to update"), default=0)
    skips = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.JSONField(_("row errors"), default=list)
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveIntegerField(_("rows in all"), default=0)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    label = models.CharField(_("label in the history"), max_length=255, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    def __str__(self):
        return f"{self.body}: {self.filename}"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def engine_mapping(self) -> dict[str, str]:
        """The mapping as the engine takes it: ignored columns left out."""
        return {heading: key for heading, key in self.mapping.items() if key}
