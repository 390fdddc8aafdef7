"""Motions and citizen proposals, their clauses, submitters and referrals."""

from datetime import date, timedelta
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
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

from .. import links
from ..queries import MotionQuerySet, ReferralQuerySet
from ..richtext import SanitisedRichTextField
from .organisation import Area, Body, Meeting, Organ, Party, Person, Term, Topic
from .scope import Scope

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class MotionKind(models.TextChoices):
    MOTION = "motion", _("motion")
    CITIZEN_PROPOSAL = "citizen_proposal", _("citizen proposal (medborgarförslag)")
    E_PROPOSAL = "e_proposal", _("e-proposal (e-förslag)")


class MotionStatus(models.TextChoices):
    """Where a motion stands. Derived by `motions.status`, never typed by hand."""

    SUBMITTED = "submitted", _("submitted")
    RAISED = "raised", _("raised in the council")
    IN_PREPARATION = "in_preparation", _("in preparation")
    PROPOSAL_READY = "proposal_ready", _("proposal ready")
    SCHEDULED = "scheduled", _("scheduled")
    TABLED = "tabled", _("tabled")
    SENT_BACK = "sent_back", _("sent back")
    DECIDED = "decided", _("decided")
    WRITTEN_OFF = "written_off", _("written off")
    WITHDRAWN = "withdrawn", _("withdrawn")
    CLOSED = "closed", _("closed")
    # E-proposals only: before the threshold, and the final state below it.
    COLLECTING = "collecting", _("collecting signatures")
    LAPSED = "lapsed", _("lapsed (too few signatures)")


class Nouns(NamedTuple):
    """What the public pages, feeds and e-mails call a record of a kind: "förslaget", never
    "motionen", for a citizen proposal or an e-proposal."""

    kind: str  # "motion", "medborgarförslag", "e-förslag"
    the: str  # "motionen", "förslaget"


NOUNS = {
    MotionKind.MOTION: Nouns(
        pgettext_lazy("kind", "motion"), pgettext_lazy("record", "the motion")
    ),
    MotionKind.CITIZEN_PROPOSAL: Nouns(
        pgettext_lazy("kind", "citizen proposal"), pgettext_lazy("record", "the proposal")
    ),
    MotionKind.E_PROPOSAL: Nouns(
        pgettext_lazy("kind", "e-proposal"), pgettext_lazy("record", "the proposal")
    ),
}


class Outcome(models.TextChoices):
    """The outcome of one clause, as proposed or as decided."""

    APPROVED = "approved", _("approved (bifalls)")
    REJECTED = "rejected", _("rejected (avslås)")
    ANSWERED = "answered", _("considered answered (anses besvarad)")
    WRITTEN_OFF = "written_off", _("written off (avskrivs)")
    WITHDRAWN = "withdrawn", _("withdrawn (återtagen)")


class MotionResult(models.TextChoices):
    """The motion's overall result, derived from its clause outcomes."""

    PENDING = "", _("not decided")
    APPROVED = "approved", _("approved")
    PARTLY_APPROVED = "partly_approved", _("partly approved")
    REJECTED = "rejected", _("rejected")
    ANSWERED = "answered", _("considered answered")
    WRITTEN_OFF = "written_off", _("written off")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Motion(
    DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, index.Indexed, ClusterableModel
):
    access_scope = Scope(bodies=("body",))

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="motions", verbose_name=_("municipality")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=MotionKind.choices, default=MotionKind.MOTION
    )
    case_number = models.CharField(
        _("case number"),
        max_length=60,
        help_text=_("Diarienummer as the registry writes it, e.g. KS 2023-00123."),
    )
    slug = models.SlugField(_("address"), max_length=80, editable=False)
    title = models.CharField(_("title"), max_length=300)
    text = SanitisedRichTextField(_("text"), features=RICH_TEXT_FEATURES, blank=True)
    submitted_on = models.DateField(_("submitted"), db_index=True)
    raised_at = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        related_name="raised_motions",
        null=True,
        blank=True,
        verbose_name=_("raised at meeting"),
    )
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("term")
    )
    topics = ParentalManyToManyField(
        Topic, blank=True, related_name="motions", verbose_name=_("topics")
    )
    areas = ParentalManyToManyField(
        Area, blank=True, related_name="motions", verbose_name=_("areas")
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("original document"),
    )
    # E-proposals: the rules are stored with each record because they change
    # (Borås: 100 signatures before 21 June 2023, 150 after, in 90 days).
    signature_count = models.PositiveIntegerField(_("signatures"), null=True, blank=True)
    signature_threshold = models.PositiveIntegerField(
        _("signature threshold"), null=True, blank=True
    )
    signature_window_days = models.PositiveSmallIntegerField(
        _("signature window (days)"), null=True, blank=True
    )

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MotionStatus.choices,
        default=MotionStatus.SUBMITTED,
        editable=False,
    )
    result = models.CharField(
        _("result"),
        max_length=20,
        choices=MotionResult.choices,
        default="",
        blank=True,
        editable=False,
    )
    decided_on = models.DateField(_("decided"), null=True, blank=True, editable=False)
    # Kept by `motions.services` whenever submission or raising changes (KL 5 kap. 35 §),
    # stored so lists can filter on it.
    deadline_on = models.DateField(
        _("decision due by"), null=True, blank=True, editable=False, db_index=True
    )
    reported_undecided_on = models.DateField(
        _("reported undecided"), null=True, blank=True, editable=False
    )
    reported_undecided_paragraph = models.CharField(
        _("reported undecided in §"), max_length=20, blank=True, editable=False
    )

    objects = MotionQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("case_number", boost=2),
        index.SearchField("text"),
        index.AutocompleteField("title"),
        index.AutocompleteField("case_number"),
        index.RelatedFields("clauses", [index.SearchField("text")]),
        index.FilterField("body"),
        index.FilterField("live"),
        index.FilterField("expired"),
        index.FilterField("status"),
        index.FilterField("submitted_on"),
    ]

    class Meta:
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "case_number"], name="motion_unique_case_number_per_body"
            ),
            models.UniqueConstraint(fields=["body", "slug"], name="motion_unique_slug_per_body"),
        ]
        indexes = [
            models.Index(
                fields=["body", "live", "-submitted_on", "-id"], name="motion_public_list"
            ),
            models.Index(fields=["status"], name="motion_status"),
        ]
        verbose_name = _("motion")
        verbose_name_plural = _("motions")

    def __str__(self):
        return f"{self.case_number}: {self.title}"

    def clean(self):
        super().clean()
        self.slug = slugify(self.case_number)[:80]
        # The slug is not on the admin form, so its unique constraint is not checked there:
        # "KS 2024 1" and "KS 2024-1" would otherwise fail with an IntegrityError.
        if (
            self.body_id
            and Motion.objects.filter(body_id=self.body_id, slug=self.slug)
            .exclude(pk=self.pk)
            .exclude(case_number=self.case_number)
            .exists()
        ):
            raise ValidationError(
                {
                    "case_number": _(
                        "Another motion's case number gives the same address (%(slug)s)."
                    )
                    % {"slug": self.slug}
                }
            )
        # The meeting is set by the raise service, not on the edit form: the errors are the
        # record's, not a field's, or the admin form could not show them.
        if self.raised_at_id and self.submitted_on and self.raised_at.date < self.submitted_on:
            raise ValidationError(_("A motion cannot be raised before it was submitted."))
        if self.raised_at_id and self.body_id and self.raised_at.organ.body_id != self.body_id:
            raise ValidationError(_("The meeting belongs to another municipality."))
        if self.raised_at_id:
            from ..rules import council_meeting_error

            if error := council_meeting_error(motion=self, meeting=self.raised_at, raising=True):
                raise ValidationError(error)

    def save(self, *args, **kwargs):
        self.slug = slugify(self.case_number)[:80]
        super().save(*args, **kwargs)

    # Written by the lifecycle services alone (`motions.services`), never by the edit form or a
    # revision: publishing, reverting or restoring a revision keeps their current values. The
    # derived fields (status, result, dates) are kept too: every publish recomputes them
    # (`motions.signals`), and the edit view of a draft, built from its revision, must show
    # today's status, not the one the draft was saved with.
    LIFECYCLE_FIELDS = (
        "raised_at_id",
        "reported_undecided_on",
        "reported_undecided_paragraph",
        "status",
        "result",
        "decided_on",
        "deadline_on",
        "signature_count",
    )

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for field in self.LIFECYCLE_FIELDS:
            setattr(obj, field, getattr(self, field))
        return obj

    def get_url(self, request=None):
        return links.record_url("motion", self.body_id, self.slug)

    @property
    def nouns(self) -> Nouns:
        return NOUNS.get(self.kind, NOUNS[MotionKind.MOTION])

    @property
    def signatures_close_on(self) -> date | None:
        """The last day an e-proposal collects signatures: its window counts from submission."""
        if self.kind != MotionKind.E_PROPOSAL or not self.signature_window_days:
            return None
        return self.submitted_on + timedelta(days=self.signature_window_days)

    def get_preview_template(self, request, mode_name):
        return "pages/motion_detail.html"

    def get_preview_context(self, request, mode_name):
        from .. import selectors

        return {"motion": self, "story": selectors.motion_story_preview(self)}


class Submitter(Orderable):
    """Who submitted: a member (with the party they had then), a committee, or a resident."""

    motion = ParentalKey(Motion, on_delete=models.CASCADE, related_name="submitters")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("member")
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("party at the time")
    )
    organ = models.ForeignKey(
        Organ, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("committee")
    )
    # A substitute (ersättare) may lodge a motion only while serving in place of a member,
    # under most rules of procedure (`Body.motion_right`): the meeting where they served.
    serving_at = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("serving in place of a member at"),
        help_text=_(
            "For a substitute (ersättare): the council meeting where they served in place of a "
            "member when they lodged the motion."
        ),
    )
    resident_name = models.CharField(_("resident's name"), max_length=160, blank=True)
    # Never rendered publicly (GDPR; DOMAIN.md REQ-PRIV-03).
    resident_email = models.EmailField(_("resident's e-mail (not public)"), blank=True)
    resident_phone = models.CharField(_("resident's phone (not public)"), max_length=40, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("submitter")
        verbose_name_plural = _("submitters")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        if self.person_id:
            party = self.party.abbreviation if self.party_id else None
            return self.name_from(person=self.person.name, party=party)
        return self.name_from(
            organ=self.organ.name if self.organ_id else None, resident=self.resident_name
        )

    @staticmethod
    def name_from(*, person=None, party=None, organ=None, resident="") -> str:
        """The public name from its parts, None for a relation that is not set: exports build
        it from `.values()` rows without loading people, parties and organs as models."""
        if person is not None:
            return f"{person} ({party})" if party is not None else person
        if organ is not None:
            return organ
        return resident

    def clean(self):
        kinds = sum([bool(self.person_id), bool(self.organ_id), bool(self.resident_name)])
        if kinds != 1:
            raise ValidationError(
                _("A submitter is either a member, a committee or a resident, exactly one of them.")
            )
        if self.serving_at_id and not self.person_id:
            raise ValidationError(
                {"serving_at": _("Only a member (a substitute) serves in place of a member.")}
            )
        if self.person_id and not self.party_id:
            raise ValidationError(
                {"party": _("Give the party the member had when the motion was submitted.")}
            )


class Clause(Orderable):
    """One "att-sats": a resolution the council is asked to take, decided on its own."""

    motion = ParentalKey(Motion, on_delete=models.CASCADE, related_name="clauses")
    text = models.TextField(
        _("text"),
        help_text=_('Starts with "att", e.g. "att Borås Stad inrättar en handlingsplan".'),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("clause (att-sats)")
        verbose_name_plural = _("clauses (att-satser)")

    def __str__(self):
        return self.text[:80]


class Referral(Orderable):
    """A remiss: the motion sent to an organ for its view. A record of its own, written only by
    the refer and register-response services: not part of the motion's revisions, so
    publishing or restoring a motion revision never removes or rewrites it."""

    access_scope = Scope(bodies=("motion__body",))

    motion = models.ForeignKey(
        Motion, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("motion")
    )
    organ = models.ForeignKey(
        Organ, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("organ")
    )
    sent_on = models.DateField(_("sent"))
    due_on = models.DateField(_("response due"), null=True, blank=True)
    answered_on = models.DateField(_("answered"), null=True, blank=True)
    response_summary = models.TextField(_("response summary"), blank=True)
    response_document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("response document"),
    )

    objects = ReferralQuerySet.as_manager()

    class Meta(Orderable.Meta):
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self):
        return f"{self.organ} {self.sent_on}"

    def clean(self):
        errors = {}
        if self.sent_on and self.due_on and self.due_on < self.sent_on:
            errors["due_on"] = _("The response cannot be due before the referral was sent.")
        if self.sent_on and self.answered_on and self.answered_on < self.sent_on:
            errors["answered_on"] = _("A referral cannot be answered before it was sent.")
        if errors:
            raise ValidationError(errors)
