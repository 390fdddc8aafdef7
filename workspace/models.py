"""A political group member's watchlist and the claims that send the weekly digest once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Watch(models.Model):
    """One published motion or commitment a user follows in the workspace (`services.watch_add`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches"
    )
    motion = models.ForeignKey(
        "motions.Motion",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("motion"),
    )
    commitment = models.ForeignKey(
        "plans.Commitment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commitment"),
    )
    created_at = models.DateTimeField(_("watched since"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(motion__isnull=False, commitment__isnull=True)
                | models.Q(motion__isnull=True, commitment__isnull=False),
                name="watch_motion_or_commitment",
            ),
            models.UniqueConstraint(
                fields=["user", "motion"],
                condition=models.Q(motion__isnull=False),
                name="watch_motion_once",
            ),
            models.UniqueConstraint(
                fields=["user", "commitment"],
                condition=models.Q(commitment__isnull=False),
                name="watch_commitment_once",
            ),
        ]
        verbose_name = _("watched record")
        verbose_name_plural = _("watched records")

    def __str__(self):
        return f"{self.user}: {self.motion or self.commitment}"


class DigestClaim(models.Model):
    """One weekly digest, claimed before it is sent. The unique (user, ISO week) key makes a
    re-run, a redelivered task and a second beat process agree on who sends it: whoever
    inserted the row (`digest.send_weekly`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(_("ISO week"), max_length=8)  # "2026-W49"
    run_token = models.CharField(max_length=32, db_index=True)
    claimed_at = models.DateTimeField(_("claimed"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="digest_claim_once_per_week")
        ]
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")

    def __str__(self):
        return f"{self.user} {self.week}"
