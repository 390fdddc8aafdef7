"""What the executive committee proposes and what the council decides."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
)
from wagtail.search import index

from ..queries import DecisionQuerySet, ProposalQuerySet
from ..richtext import SanitisedRichTextField
from .motion import RICH_TEXT_FEATURES, Motion, Outcome
from .organisation import Body, Meeting, Organ, Party, Person
from .scope import Scope


class ClauseOutcomeBase(Orderable):
    """Outcome for one clause, addressed by its number so revisions stay readable."""

    clause_number = models.PositiveSmallIntegerField(
        _("clause no."), validators=[MinValueValidator(1)]
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)

    class Meta(Orderable.Meta):
        abstract = True

    def __str__(self):
        return f"{self.clause_number}: {self.get_outcome_display()}"


class StatementBase(Orderable):
    """Dissent on the record: reservations, alternative proposals and minuted statements."""

    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("party")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("member")
    )
    text = models.TextField(_("text"), blank=True)

    class Meta(Orderable.Meta):
        abstract = True

    def clean(self):
        if not (self.party_id or self.person_id):
            raise ValidationError(_("Say which party or member this comes from."))


class CommitteeProposal(
    DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, ClusterableModel
):
    """ "Kommunstyrelsen föreslår Kommunfullmäktige besluta …". Every change is a revision of
    the proposal itself; it is a record of its own, not part of the motion's revisions."""

    access_scope = Scope(bodies=("motion__body",))

    motion = models.ForeignKey(
        Motion, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("motion")
    )
    organ = models.ForeignKey(
        Organ, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("organ")
    )
    proposed_on = models.DateField(_("date"))
    paragraph = models.CharField(_("§ in the organ's minutes"), max_length=20, blank=True)
    text = SanitisedRichTextField(_("proposal"), features=RICH_TEXT_FEATURES, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["proposed_on", "id"]
        verbose_name = _("committee proposal")
        verbose_name_plural = _("committee proposals")

    def __str__(self):
        return f"{self.organ.abbreviation or self.organ}: {self.motion.case_number} ({self.proposed_on})"

    def clean(self):
        super().clean()
        if self.motion_id and self.proposed_on and self.proposed_on < self.motion.submitted_on:
            raise ValidationError(
                {"proposed_on": _("A proposal cannot predate the motion's submission.")}
            )
        if self.motion_id and self.organ_id and self.organ.body_id != self.motion.body_id:
            raise ValidationError({"organ": _("The organ belongs to another municipality.")})

    def get_preview_template(self, request, mode_name):
        return "pages/proposal_preview.html"


class ProposedOutcome(ClauseOutcomeBase):
    proposal = ParentalKey(CommitteeProposal, on_delete=models.CASCADE, related_name="outcomes")


class AlternativeProposal(StatementBase):
    proposal = ParentalKey(CommitteeProposal, on_delete=models.CASCADE, related_name="alternatives")

    class Meta(StatementBase.Meta):
        verbose_name = _("alternative proposal")
        verbose_name_plural = _("alternative proposals")


class ProposalReservation(StatementBase):
    proposal = ParentalKey(CommitteeProposal, on_delete=models.CASCADE, related_name="reservations")

    class Meta(StatementBase.Meta):
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")


class VoteMethod(models.TextChoices):
    ACCLAMATION = "acclamation", _("by acclamation (acklamation)")
    VOTE = "vote", _("by vote (votering)")


class Decision(
    DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, index.Indexed, ClusterableModel
):
    """A paragraph (§) in an organ's minutes. A decision need not answer a motion."""

    access_scope = Scope(bodies=("body",))

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("municipality")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("meeting")
    )
    paragraph = models.PositiveIntegerField(_("§"), validators=[MinValueValidator(1)])
    decided_on = models.DateField(_("decided"))
    case_number = models.CharField(_("case number"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=300)
    text = SanitisedRichTextField(_("decision"), features=RICH_TEXT_FEATURES, blank=True)
    motion = models.ForeignKey(
        Motion,
        on_delete=models.PROTECT,
        related_name="decisions",
        null=True,
        blank=True,
        verbose_name=_("motion"),
    )
    vote_method = models.CharField(
        _("how it was decided"),
        max_length=12,
        choices=VoteMethod.choices,
        default=VoteMethod.ACCLAMATION,
    )
    votes_for = models.PositiveSmallIntegerField(_("yes"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("no"), null=True, blank=True)
    votes_abstaining = models.PositiveSmallIntegerField(_("abstaining"), null=True, blank=True)
    votes_absent = models.PositiveSmallIntegerField(_("absent"), null=True, blank=True)
    dispatched_to = ParentalManyToManyField(
        Organ, blank=True, related_name="+", verbose_name=_("dispatched to")
    )
    gives_assignment = models.BooleanField(
        _("the decision gives an assignment (uppdrag)"),
        default=False,
        help_text=_(
            "Tick when the decision tells an organ to do something, whatever the outcome of the "
            "motion's clauses; commitments may then come from it."
        ),
    )
    minutes_approved_on = models.DateField(_("minutes approved (justerat)"), null=True, blank=True)
    notice_posted_on = models.DateField(_("notice posted (anslaget)"), null=True, blank=True)

    objects = DecisionQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("text"),
        index.SearchField("case_number"),
        index.FilterField("body"),
        index.FilterField("live"),
        index.FilterField("expired"),
        index.FilterField("decided_on"),
    ]

    class Meta:
        ordering = ["-decided_on", "-paragraph"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "paragraph"], name="decision_unique_paragraph_per_meeting"
            ),
        ]
        indexes = [
            models.Index(fields=["body", "live", "-decided_on"], name="decision_public_list")
        ]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return self.label(paragraph=self.paragraph, meeting=self.meeting, title=self.title)

    @staticmethod
    def label(*, paragraph, meeting, title) -> str:
        """`str(decision)` from its parts, for rows read with `.values()` (exports)."""
        return f"§ {paragraph} {meeting}: {title}"

    @property
    def vote_total(self):
        counts = [self.votes_for, self.votes_against, self.votes_abstaining, self.votes_absent]
        return sum(c or 0 for c in counts)

    def clean(self):
        """Rules that need only this row; rules over clauses and party votes live in `motions.rules`."""
        super().clean()
        from ..rules import decision_errors

        errors = decision_errors(self)
        if errors:
            raise ValidationError(errors)

    def get_url(self, request=None):
        if self.motion_id:
            return self.motion.get_url(request=request)
        return None

    def get_preview_template(self, request, mode_name):
        return "pages/decision_preview.html"


class DecisionClauseOutcome(ClauseOutcomeBase):
    decision = ParentalKey(Decision, on_delete=models.CASCADE, related_name="clause_outcomes")


class PartyVote(Orderable):
    decision = ParentalKey(Decision, on_delete=models.CASCADE, related_name="party_votes")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, verbose_name=_("party"))
    votes_for = models.PositiveSmallIntegerField(_("yes"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("no"), default=0)
    votes_abstaining = models.PositiveSmallIntegerField(_("abstaining"), default=0)
    votes_absent = models.PositiveSmallIntegerField(_("absent"), default=0)

    class Meta(Orderable.Meta):
        verbose_name = _("party vote")
        verbose_name_plural = _("votes per party")


class StatementKind(models.TextChoices):
    RESERVATION = "reservation", _("reservation")
    MINUTED = "minuted", _("minuted statement (protokollsanteckning)")
    SPECIAL = "special", _("special statement (särskilt yttrande)")
    DISQUALIFIED = "disqualified", _("did not take part: conflict of interest (jäv)")


class DecisionStatement(StatementBase):
    decision = ParentalKey(Decision, on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(
        _("kind"), max_length=16, choices=StatementKind.choices, default=StatementKind.RESERVATION
    )

    class Meta(StatementBase.Meta):
        verbose_name = _("reservation or statement")
        verbose_name_plural = _("reservations and statements")


class DecisionDocument(Orderable):
    """Supporting documents (beslutsunderlag)."""

    decision = ParentalKey(Decision, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
