"""The trail a gallring leaves: kept after the record and everything that belonged to it is gone."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .scope import Scope


class GallringRecord(models.Model):
    """One record removed under a gallringsbeslut (REQ-ARCH-01), written only by
    `motions.gallring.record_gallra` and never deleted. It repeats what the log entry says,
    because the removed record's own log entries no longer have a record to point to."""

    access_scope = Scope(bodies=("body",))

    body = models.ForeignKey(
        "motions.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    model_label = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=255)
    case_number = models.CharField(_("case number"), max_length=60, blank=True)
    decision_reference = models.CharField(
        _("gallringsbeslut"),
        max_length=255,
        help_text=_(
            "The gallringsbeslut or the entry in the records management plan, "
            "e.g. “KS 2026-00042, dokumenthanteringsplan 3.2.1”."
        ),
    )
    decided_on = models.DateField(_("date of the gallringsbeslut"))
    reason = models.TextField(_("reason"))
    # What was removed with it, per model label: {"motions.Referral": 2, ...}.
    removed = models.JSONField(_("removed with it"), default=dict)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user_name = models.CharField(_("removed by"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("removed"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("gallring record")
        verbose_name_plural = _("gallring records")
        permissions = [("gallra", _("Can remove records under a gallringsbeslut (gallring)"))]

    def __str__(self):
        return f"{self.object_repr} ({self.decision_reference})"

    @property
    def record_type(self):
        try:
            return apps.get_model(self.model_label)._meta.verbose_name
        except LookupError:
            return self.model_label
