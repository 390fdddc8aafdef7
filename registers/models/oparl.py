"""What `import_oparl` remembers: the servers a municipality reads from, and which of our
records each OParl object became, so a second run changes nothing."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class OparlSource(models.Model):
    """An OParl System read into one municipality. `synced_since` is the start of the last
    run that read everything without an error: the next run asks only for what changed after
    it (`modified_since`). A run that stopped half way leaves it as it was."""

    body = models.ForeignKey(
        "motions.Body",
        on_delete=models.CASCADE,
        related_name="oparl_sources",
        verbose_name=_("municipality"),
    )
    system_url = models.URLField(_("OParl system"), max_length=500)
    body_url = models.URLField(_("OParl body"), max_length=500, blank=True)
    synced_since = models.DateTimeField(_("last complete import started"), null=True, blank=True)
    last_run_at = models.DateTimeField(_("last import"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "system_url"], name="oparl_source_once")
        ]
        verbose_name = _("OParl source")
        verbose_name_plural = _("OParl sources")

    def __str__(self):
        return f"{self.body}: {self.system_url}"


class OparlRecord(models.Model):
    """One OParl object (by its id, a URL) and the record it was imported as."""

    source = models.ForeignKey(OparlSource, on_delete=models.CASCADE, related_name="records")
    oparl_id = models.URLField(_("OParl id"), max_length=500)
    oparl_type = models.CharField(_("OParl type"), max_length=20)
    # The object's `modified` as the server gave it: a newer one updates the record.
    modified = models.DateTimeField(_("modified at the source"), null=True, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "oparl_id"], name="oparl_record_once")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="oparl_record_target")]
        verbose_name = _("imported OParl object")
        verbose_name_plural = _("imported OParl objects")

    def __str__(self):
        return self.oparl_id
