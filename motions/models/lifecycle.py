"""The motion's lifecycle log, the undecided-motions report, appeals and reminder claims."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .decision import CommitteeProposal, Decision
from .motion import Motion, Referral
from .organisation import Body, Meeting, Organ
from .scope import Scope


class EventKind(models.TextChoices):
    RAISED = "raised", _("raised in the council")
    REFERRED = "referred", _("referred")
    RESPONSE_REGISTERED = "response_registered", _("referral response registered")
    PROPOSAL_REGISTERED = "proposal_registered", _("proposal registered")
    SCHEDULED = "scheduled", _("scheduled")
    TABLED = "tabled", _("tabled")
    SENT_BACK = "sent_back", _("sent back")
    HANDED_TO_COMMITTEE = "handed_to_committee", _("handed to a committee to decide")
    DECIDED = "decided", _("decided")
    REPORTED_UNDECIDED = "reported_undecided", _("reported undecided (KL 5:35)")
    WRITTEN_OFF = "written_off", _("written off")
    WITHDRAWN = "withdrawn", _("withdrawn")
    CLOSED = "closed", _("closed")
    THRESHOLD_REACHED = "threshold_reached", _("signature threshold reached")
    LAPSED = "lapsed", _("lapsed with too few signatures")


class WriteOffGround(models.TextChoices):
    REPORTED_UNDECIDED = "reported_undecided", _("KL 5 kap. 35 §: reported undecided")
    END_OF_TERM = "end_of_term", _("end of the term")
    WITHDRAWN = "withdrawn", _("withdrawn by the submitter")
    OTHER = "other", _("other ground (described in the reason)")


class MotionEvent(models.Model):
    """One transition of a motion. Append-only: corrections are new events, never edits."""

    access_scope = Scope(bodies=("motion__body",))

    motion = models.ForeignKey(
        Motion, on_delete=models.PROTECT, related_name="events", verbose_name=_("motion")
    )
    kind = models.CharField(_("event"), max_length=24, choices=EventKind.choices)
    happened_on = models.DateField(_("date"))
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("meeting"),
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="motion_events",
        verbose_name=_("decision"),
    )
    organ = models.ForeignKey(
        Organ,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organ"),
    )
    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("referral"),
    )
    proposal = models.ForeignKey(
        CommitteeProposal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("proposal"),
    )
    legal_ground = models.CharField(
        _("legal ground"), max_length=24, choices=WriteOffGround.choices, blank=True
    )
    submitter_consent = models.BooleanField(_("submitter consented"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    paragraph = models.CharField(_("§"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    # The key of the form that asked for this event: a second submission of the same form
    # (a double click, a retried POST) finds it and changes nothing. NULL, not "", so events
    # without a key never collide on the unique constraint.
    request_key = models.CharField(  # noqa: DJ001
        max_length=64, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["happened_on", "id"]
        indexes = [
            models.Index(fields=["motion", "happened_on", "id"], name="motion_event_timeline")
        ]
        constraints = [
            models.UniqueConstraint(fields=["request_key"], name="motion_event_request_once"),
            # One "proposal registered" per proposal and one "decided" per decision, whichever
            # path (lifecycle button or admin publish) got there first.
            models.UniqueConstraint(
                fields=["proposal"],
                condition=models.Q(kind="proposal_registered"),
                name="motion_event_proposal_once",
            ),
            models.UniqueConstraint(
                fields=["decision", "motion"],
                condition=models.Q(kind="decided"),
                name="motion_event_decision_once",
            ),
        ]
        verbose_name = _("motion event")
        verbose_name_plural = _("motion events")

    def __str__(self):
        return f"{self.happened_on} {self.get_kind_display()}"


class UndecidedReport(models.Model):
    """A "redovisning av obesvarade motioner": a draft until issued, then a kept record."""

    access_scope = Scope(bodies=("body",))

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="undecided_reports")
    as_of = models.DateField(_("as of"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    council_paragraph = models.CharField(_("council §"), max_length=20, blank=True)

    class Meta:
        ordering = ["-as_of", "-id"]
        verbose_name = _("report of undecided motions")
        verbose_name_plural = _("reports of undecided motions")

    def __str__(self):
        return f"{self.body} {self.as_of}"


class UndecidedReportRow(models.Model):
    """A motion as it stood on the report date; the snapshot keeps an issued report unchanged."""

    report = models.ForeignKey(UndecidedReport, on_delete=models.CASCADE, related_name="rows")
    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="+")
    sort_order = models.PositiveIntegerField(default=0)
    case_number = models.CharField(_("case number"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    submitters = models.CharField(_("submitted by"), max_length=500, blank=True)
    submitted_on = models.DateField(_("submitted"))
    deadline_on = models.DateField(_("deadline"), null=True)
    days_open = models.PositiveIntegerField(_("days open"))
    preparing_organ = models.CharField(_("prepared by"), max_length=160, blank=True)
    step = models.CharField(_("current step"), max_length=60)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["report", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "motion"], name="report_row_unique_motion")
        ]

    def __str__(self):
        return self.case_number

    @property
    def overdue(self) -> bool:
        """Past its one-year deadline on the report date: issuing marks only these rows' motions
        reported undecided; the others are listed as still inside their year."""
        return bool(self.deadline_on and self.deadline_on < self.report.as_of)


class AppealResult(models.TextChoices):
    PENDING = "", _("pending")
    REJECTED = "rejected", _("appeal rejected (avslaget)")
    DISMISSED = "dismissed", _("appeal dismissed (avvisat)")
    WITHDRAWN = "withdrawn", _("appeal withdrawn")
    ANNULLED = "annulled", _("decision annulled (upphävt)")


class Appeal(models.Model):
    """A laglighetsprövning (KL 13 kap.): while pending, the decision has no legal force. A
    judgment can itself be appealed, so the decision gains legal force only when the judgment
    has become final (`final_on`), and never when the court annulled it."""

    access_scope = Scope(bodies=("decision__body",))

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("decision")
    )
    court = models.CharField(_("court"), max_length=120, default="Förvaltningsrätten")
    case_number = models.CharField(_("court case number"), max_length=60)
    lodged_on = models.DateField(_("lodged"))
    result = models.CharField(
        _("result"), max_length=12, choices=AppealResult.choices, blank=True, default=""
    )
    result_on = models.DateField(_("result date"), null=True, blank=True)
    final_on = models.DateField(
        _("judgment final (laga kraft)"),
        null=True,
        blank=True,
        help_text=_(
            "The day the court's judgment could no longer be appealed. The decision has legal "
            "force from then, not from the day of the judgment."
        ),
    )

    class Meta:
        ordering = ["lodged_on", "id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self):
        return f"{self.court} {self.case_number}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.decision_id and self.lodged_on and self.lodged_on < self.decision.decided_on:
            raise ValidationError(
                {"lodged_on": _("An appeal cannot be lodged before the decision.")}
            )
        if bool(self.result) != bool(self.result_on):
            raise ValidationError({"result_on": _("Give the result and its date together.")})
        if self.final_on and not self.result:
            raise ValidationError(
                {"final_on": _("Only a judgment can become final; give the result first.")}
            )
        if self.final_on and self.result_on and self.final_on < self.result_on:
            raise ValidationError(
                {"final_on": _("A judgment cannot become final before the day it was given.")}
            )


class ReminderClaim(models.Model):
    """One reminder, claimed before it is sent. The unique key makes every re-run, redelivered
    task and concurrent worker agree on who sends it: whoever inserted the row."""

    access_scope = Scope(bodies=("body",))

    kind = models.CharField(_("record type"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("record id"))
    threshold = models.CharField(_("threshold"), max_length=20)
    body = models.ForeignKey(Body, on_delete=models.CASCADE, null=True, related_name="+")
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    subject_line = models.CharField(_("item"), max_length=400, blank=True)
    run_token = models.CharField(max_length=32, db_index=True)
    claimed_at = models.DateTimeField(_("claimed"), auto_now_add=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "threshold"], name="reminder_claim_once"
            ),
        ]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self):
        return f"{self.kind} {self.object_id} {self.threshold}"
