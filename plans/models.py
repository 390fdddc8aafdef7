"""What decisions oblige someone to do, and how it is followed up.

Commitments, action plans and follow-ups are snippets with drafts and revisions. The public
status of a commitment is its latest *published* follow-up, copied into `current_status`
by `services.commitment_refresh_status` so lists filter on a column, not a subquery."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    Task,
    TaskState,
    WorkflowMixin,
)
from wagtail.search import index

from motions import access, links
from motions.models import Outcome, Scope

from .queries import ActionPlanQuerySet, CommitmentQuerySet, FollowUpQuerySet
from .status import Status, followup_errors

YEAR_VALIDATORS = [MinValueValidator(1900), MaxValueValidator(2100)]


def _organ_body_error(organ, body_id):
    if organ is not None and body_id and organ.body_id != body_id:
        return _("The organ belongs to another municipality.")
    return None


def _source_error(decision, clause_number):
    """A decision answering a motion obliges no one to act on a clause it did not approve:
    a commitment comes from an approved clause (or, without a clause, from a motion approved
    at least in part), unless the decision itself gives an assignment (uppdrag). Decisions
    on no motion, such as a budget's uppdrag, may always carry commitments."""
    if decision is None or not decision.motion_id or decision.gives_assignment:
        return None
    outcomes = {o.clause_number: o.outcome for o in decision.clause_outcomes.all()}
    if clause_number:
        if outcomes.get(clause_number) != Outcome.APPROVED:
            return _(
                "Clause %(number)s was not approved in this decision, so no commitment comes "
                "from it. Tick that the decision gives an assignment if it does."
            ) % {"number": clause_number}
    elif Outcome.APPROVED not in outcomes.values():
        return _(
            "The decision approved none of the motion's clauses, so no commitment comes from it. "
            "Tick that the decision gives an assignment if it does."
        )
    return None


class ActionPlan(DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """A handlingsplan adopted by a decision: goals, and actions with owners and periods."""

    access_scope = Scope(bodies=("body",), organs=("responsible_organ",))

    body = models.ForeignKey(
        "motions.Body",
        on_delete=models.PROTECT,
        related_name="action_plans",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("address"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    decision = models.ForeignKey(
        "motions.Decision",
        on_delete=models.PROTECT,
        related_name="action_plans",
        verbose_name=_("adopted by decision"),
    )
    responsible_organ = models.ForeignKey(
        "motions.Organ",
        on_delete=models.PROTECT,
        related_name="action_plans",
        verbose_name=_("responsible organ"),
    )
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    target_year = models.PositiveSmallIntegerField(_("target year"), validators=YEAR_VALIDATORS)
    areas = ParentalManyToManyField(
        "motions.Area", blank=True, related_name="action_plans", verbose_name=_("areas")
    )

    objects = ActionPlanQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("description"),
        index.FilterField("body"),
        index.FilterField("live"),
        index.FilterField("expired"),
    ]

    class Meta:
        ordering = ["body", "title"]
        constraints = [
            models.UniqueConstraint(fields=["body", "slug"], name="actionplan_unique_slug_per_body")
        ]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        self.slug = self.slug or slugify(self.title)[:80]
        errors = {}
        if error := _organ_body_error(getattr(self, "responsible_organ", None), self.body_id):
            errors["responsible_organ"] = error
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period must end after it starts.")
        if (
            self.decision_id
            and self.target_year
            and self.target_year < self.decision.decided_on.year
        ):
            errors["target_year"] = _("The target year cannot be before the year of the decision.")
        if errors:
            raise ValidationError(errors)

    def with_content_json(self, content):
        """Actions that follow-ups report on stay in the plan whatever revision is published:
        they are what those records are about, and the record is never deleted by a revert."""
        obj = super().with_content_json(content)
        kept = {action.pk for action in obj.actions.all() if action.pk}
        reported = [
            action
            for action in self.actions.filter(followups__isnull=False).distinct()
            if action.pk not in kept
        ]
        if reported:
            obj.actions = [*obj.actions.all(), *reported]
        return obj

    def get_url(self, request=None):
        return links.subpage_url("commitment", self.body_id, "action_plan", self.slug)


class Goal(Orderable):
    plan = ParentalKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("goal"))

    class Meta(Orderable.Meta):
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.text[:80]


class Action(Orderable):
    """An insats in a plan. Its status, like a commitment's, comes from published follow-ups."""

    access_scope = Scope(bodies=("plan__body",), organs=("owner",))

    plan = ParentalKey(ActionPlan, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        "motions.Organ", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    partners = models.CharField(
        _("partners"),
        max_length=300,
        blank=True,
        help_text=_("Outside partners, e.g. the police or a housing company."),
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("An action must end after it starts.")})
        if self.plan_id and self.owner_id and self.owner.body_id != self.plan.body_id:
            raise ValidationError({"owner": _("The organ belongs to another municipality.")})


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class Indicator(index.Indexed, ClusterableModel):
    """A measurable follow-up: baseline, target and measurements in one unit."""

    access_scope = Scope(
        bodies=("body",), organs=("commitments__responsible_organ",), distinct=True
    )

    body = models.ForeignKey(
        "motions.Body",
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("E.g. MSEK, %, people."))
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), validators=YEAR_VALIDATORS)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=14, decimal_places=2)
    target_year = models.PositiveSmallIntegerField(_("target year"), validators=YEAR_VALIDATORS)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)
    kpi_id = models.CharField(
        _("KPI id"), max_length=40, blank=True, help_text=_("E.g. a Kolada KPI id.")
    )

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.FilterField("body"),
    ]

    class Meta:
        ordering = ["body", "title"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return f"{self.title} ({self.unit})"

    def clean(self):
        if self.baseline_year and self.target_year and self.target_year < self.baseline_year:
            raise ValidationError(
                {"target_year": _("The target year cannot be before the baseline year.")}
            )


class Measurement(Orderable):
    indicator = ParentalKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    measured_on = models.DateField(
        _("date"), null=True, blank=True, help_text=_("If the value is for a day.")
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("Must be the indicator's unit."))
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Set when the value came with a follow-up (`services.followup_published` writes it).
    followup = models.ForeignKey(
        "FollowUp",
        on_delete=models.SET_NULL,  # the value stays the indicator's if the follow-up is culled
        null=True,
        blank=True,
        related_name="measurements",
        editable=False,
        verbose_name=_("reported in follow-up"),
    )

    class Meta(Orderable.Meta):
        ordering = ["year", "measured_on", "sort_order"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self):
        return f"{self.year}: {self.value} {self.unit}"

    def clean(self):
        indicator = getattr(self, "indicator", None)
        if indicator is None:
            return
        errors = {}
        if self.unit and self.unit.strip() != indicator.unit.strip():
            errors["unit"] = _("The indicator is measured in %(unit)s; convert the value.") % {
                "unit": indicator.unit
            }
        if self.year and indicator.baseline_year and self.year < indicator.baseline_year:
            errors["year"] = _("A measurement cannot be before the baseline year (%(year)s).") % {
                "year": indicator.baseline_year
            }
        if self.measured_on and self.year and self.measured_on.year != self.year:
            errors["measured_on"] = _("The date must fall in the measurement's year.")
        if errors:
            raise ValidationError(errors)


class Commitment(DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """An uppdrag/åtagande: what a decision obliges an organ to do, and by when."""

    access_scope = Scope(bodies=("body",), organs=("responsible_organ",))

    body = models.ForeignKey(
        "motions.Body",
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("address"), max_length=80)
    description = models.TextField(_("what must happen"))
    decision = models.ForeignKey(
        "motions.Decision",
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("source decision"),
    )
    clause_number = models.PositiveSmallIntegerField(
        _("motion clause no."),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("When the commitment comes from one clause (att-sats) of the motion."),
    )
    responsible_organ = models.ForeignKey(
        "motions.Organ",
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("responsible organ"),
    )
    co_responsible = ParentalManyToManyField(
        "motions.Organ", blank=True, related_name="+", verbose_name=_("co-responsible organs")
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), validators=YEAR_VALIDATORS)
    action_plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("action plan"),
    )
    areas = ParentalManyToManyField(
        "motions.Area", blank=True, related_name="commitments", verbose_name=_("areas")
    )
    indicators = ParentalManyToManyField(
        Indicator, blank=True, related_name="commitments", verbose_name=_("indicators")
    )
    reported_back_paragraph = models.CharField(
        _("reported back to the council, §"), max_length=40, blank=True
    )
    reported_back_on = models.DateField(_("reported back on"), null=True, blank=True)

    # Denormalised from the latest published follow-up (services.commitment_refresh_status).
    current_status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.NOT_STARTED,
        editable=False,
    )
    current_progress = models.PositiveSmallIntegerField(
        _("progress"), null=True, blank=True, editable=False
    )
    last_followup_on = models.DateField(_("last follow-up"), null=True, blank=True, editable=False)

    objects = CommitmentQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.FilterField("body"),
        index.FilterField("live"),
        index.FilterField("expired"),
    ]

    class Meta:
        ordering = ["target_year", "title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "slug"], name="commitment_unique_slug_per_body")
        ]
        indexes = [
            models.Index(
                fields=["body", "live", "target_year", "title"], name="commitment_public_list"
            ),
            models.Index(fields=["body", "live", "current_status"], name="commitment_status"),
            models.Index(fields=["responsible_organ", "live"], name="commitment_organ"),
            models.Index(fields=["last_followup_on"], name="commitment_last_followup"),
        ]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        self.slug = self.slug or slugify(self.title)[:80]
        errors = {}
        decision = self.decision if self.decision_id else None
        if decision and self.body_id and decision.body_id != self.body_id:
            errors["decision"] = _("The decision belongs to another municipality.")
        if error := _organ_body_error(getattr(self, "responsible_organ", None), self.body_id):
            errors["responsible_organ"] = error
        if decision and self.target_year and self.target_year < decision.decided_on.year:
            errors["target_year"] = _(
                "The target year (%(target)s) cannot be before the decision year (%(year)s)."
            ) % {
                "target": self.target_year,
                "year": decision.decided_on.year,
            }
        if self.clause_number and not (decision and decision.motion_id):
            errors["clause_number"] = _("Only a decision on a motion has clauses.")
        elif self.clause_number and self.clause_number > decision.motion.clauses.count():
            errors["clause_number"] = _("The motion has no clause with that number.")
        elif error := _source_error(decision, self.clause_number):
            errors["clause_number" if self.clause_number else "decision"] = error
        if self.action_plan_id and self.action_plan.body_id != self.body_id:
            errors["action_plan"] = _("The action plan belongs to another municipality.")
        if self.reported_back_on and decision and self.reported_back_on < decision.decided_on:
            errors["reported_back_on"] = _("It cannot be reported back before it was decided.")
        if errors:
            raise ValidationError(errors)

    def get_url(self, request=None):
        return links.record_url("commitment", self.body_id, self.slug)

    @property
    def standing(self):
        from .status import standing_of

        return standing_of(self)


class PeriodKind(models.TextChoices):
    TERTIAL_1 = "tertial_1", _("Tertial report 1 (January to April)")
    INTERIM = "interim", _("Interim report (delårsrapport)")
    ANNUAL = "annual", _("Annual report (årsredovisning)")
    REPORT_BACK = "report_back", _("Report back to the council (återrapportering)")
    OTHER = "other", _("Other report")


class FollowUp(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel
):
    """A dated statement of where a commitment or action stands. Append-only once published:
    a newer follow-up replaces it on the page, the old one stays in the timeline.

    An officer drafts it with its indicator values and submits it to the workflow
    "Godkännande av uppföljning"; the secretariat's approval publishes it."""

    access_scope = Scope(
        bodies=("commitment__body", "action__plan__body"),
        organs=("commitment__responsible_organ", "action__owner"),
    )

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name=_("commitment"),
    )
    action = models.ForeignKey(
        Action,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name=_("action"),
    )
    period_kind = models.CharField(_("reporting period"), max_length=16, choices=PeriodKind.choices)
    period_end = models.DateField(_("period ends"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("From 0 to 100."),
    )
    narrative = models.TextField(_("narrative"), blank=True)
    reason = models.TextField(
        _("reason for the status"),
        blank=True,
        help_text=_("Why the status is what it is, or why it changed."),
    )
    source = models.CharField(
        _("source of the status"),
        max_length=300,
        blank=True,
        help_text=_("A document, a decision § or a report."),
    )
    source_url = models.URLField(_("source link"), blank=True)
    superseded_by = models.ForeignKey(
        "motions.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("superseded by decision"),
    )
    verified_on = models.DateField(_("last verified"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("author"),
    )

    objects = FollowUpQuerySet.as_manager()

    search_fields = [
        index.SearchField("narrative"),
        index.SearchField("reason"),
        index.FilterField("live"),
        index.FilterField("expired"),
    ]

    class Meta:
        ordering = ["-period_end", "-id"]
        indexes = [
            models.Index(
                fields=["commitment", "live", "-period_end"], name="followup_commitment_latest"
            ),
            models.Index(fields=["action", "live", "-period_end"], name="followup_action_latest"),
        ]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self):
        subject = self.commitment or self.action
        return (
            f"{subject}: {self.get_period_kind_display()} {self.period_end:%Y-%m-%d}"
            if self.period_end
            else str(subject)
        )

    def get_url(self, request=None):
        """A follow-up is shown on its commitment's page, or on its action's plan."""
        if self.commitment_id:
            return self.commitment.get_url(request=request)
        return self.action.plan.get_url(request=request)

    @property
    def subject(self):
        return self.commitment if self.commitment_id else self.action

    @property
    def body_id(self):
        subject = self.subject
        if subject is None:
            return None
        return subject.body_id if self.commitment_id else subject.plan.body_id

    @property
    def is_locked_record(self):
        """Published once means part of the public record: never edited or deleted again."""
        return bool(self.first_published_at)

    def clean(self):
        super().clean()
        errors = {}
        if bool(self.commitment_id) == bool(self.action_id):
            errors["commitment"] = _(
                "A follow-up is about either a commitment or an action, exactly one."
            )
        if self.period_end and self.period_end > timezone.localdate():
            errors["period_end"] = _(
                "The reporting period has not ended yet; report it when it has."
            )
        if self.verified_on and self.verified_on > timezone.localdate():
            errors["verified_on"] = _("The date verified cannot be in the future.")
        if self.status:
            # The admin form sets `evidence_in_form` from its inline links before the model is cleaned.
            has_evidence = getattr(self, "evidence_in_form", None)
            if has_evidence is None:
                has_evidence = bool(self.pk) and self.evidence_links.exists()
            errors.update(
                followup_errors(
                    status=self.status,
                    reason=self.reason or "",
                    has_evidence=has_evidence or bool(self.source_url),
                    superseded_by_id=self.superseded_by_id,
                )
            )
        if errors:
            raise ValidationError(errors)


class EvidenceLink(Orderable):
    followup = ParentalKey(FollowUp, on_delete=models.CASCADE, related_name="evidence_links")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"))

    class Meta(Orderable.Meta):
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")

    def __str__(self):
        return self.title


class IndicatorValue(Orderable):
    """A value of one of the commitment's indicators, reported with the follow-up. It travels
    through the follow-up's approval and becomes a Measurement when the follow-up is published:
    an officer, who may not edit indicators, reports values this way."""

    followup = ParentalKey(FollowUp, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    value = models.DecimalField(
        _("value"), max_digits=14, decimal_places=2, help_text=_("In the indicator's unit.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")

    def __str__(self):
        return f"{self.indicator}: {self.year} {self.value}"

    def as_measurement(self) -> Measurement:
        """The measurement this value becomes, in the indicator's own unit."""
        return Measurement(
            indicator=self.indicator,
            year=self.year,
            value=self.value,
            unit=self.indicator.unit,
            source=str(self.followup)[:300] if self.followup_id else "",
            note=self.note,
            followup_id=self.followup_id,
        )

    def clean(self):
        if self.indicator_id and self.year:
            self.as_measurement().clean()  # the measurement's own rules, checked at once


PUBLISH_FOLLOWUP = "plans.publish_followup"


def may_approve(user, followup) -> bool:
    """Whether `user` may approve or reject `followup`: one who may publish follow-ups, in the
    secretariat of the follow-up's municipality (or a superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    you = access.reach(user, PUBLISH_FOLLOWUP)
    return followup.body_id in you.bodies and user.has_perm(PUBLISH_FOLLOWUP)


class SecretariatApprovalTask(Task):
    """Approval by the secretariat of the follow-up's own municipality. Unlike Wagtail's group
    approval, the approvers depend on the record: another municipality's secretariat neither
    sees the task nor can act on it, whatever it posts."""

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = _("Secretariat approval task")
        verbose_name_plural = _("Secretariat approval tasks")

    @classmethod
    def get_description(cls):
        return _(
            "The secretariat of the record's own municipality approves it, or rejects it with "
            "a comment."
        )

    def start(self, workflow_state, user=None):
        obj = workflow_state.content_object
        # A lock taken by someone who cannot approve would keep the approvers out.
        if obj.locked_by_id and not may_approve(obj.locked_by, obj):
            obj.locked, obj.locked_by, obj.locked_at = False, None, None
            obj.save(update_fields=["locked", "locked_by", "locked_at"])
        return super().start(workflow_state, user=user)

    def user_can_access_editor(self, obj, user):
        return may_approve(user, obj)

    def locked_for_user(self, obj, user):
        return not may_approve(user, obj)

    def user_can_lock(self, obj, user):
        return may_approve(user, obj)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if not may_approve(user, obj):
            return []
        return [
            ("reject", _("Request changes"), True),
            ("approve", _("Approve and publish"), False),
            ("approve", _("Approve with comment"), True),
        ]

    def on_action(self, task_state, user, action_name, **kwargs):
        # Wagtail's action view checks the object in the URL, but takes the task state by its
        # own id: check the object the task state is about.
        if not may_approve(user, task_state.workflow_state.content_object):
            raise PermissionDenied
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return states
        you = access.reach(user, PUBLISH_FOLLOWUP)
        if not you.bodies or not user.has_perm(PUBLISH_FOLLOWUP):
            return TaskState.objects.none()
        followups = (
            FollowUp.objects.filter(access.in_bodies(FollowUp, you.bodies))
            .annotate(key=Cast("pk", models.CharField()))
            .values("key")
        )
        return states.filter(
            workflow_state__base_content_type=ContentType.objects.get_for_model(FollowUp),
            workflow_state__object_id__in=followups,
        )
