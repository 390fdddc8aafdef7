"""Who sits where: municipalities, their organs, parties, people and meetings."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from .scope import Scope


class DeadlineAnchor(models.TextChoices):
    SUBMITTED = "submitted", _("the date the motion was submitted")
    RAISED = "raised", _("the meeting where the motion was raised")


class MotionRight(models.TextChoices):
    """Who may lodge a motion (KL 5 kap. 22 §; the substitute rule is the arbetsordning's)."""

    NOT_CHECKED = "", _("not checked (memberships are not kept here)")
    MEMBERS = "members", _("members only")
    SERVING_SUBSTITUTES = (
        "serving_substitutes",
        _("members, and substitutes only while serving in place of a member"),
    )
    SUBSTITUTES = "substitutes", _("members and substitutes alike")


class DataLicence(models.TextChoices):
    """The licence a municipality gives its published records (REQ-OPEN-01): CC0 by default."""

    CC0 = "CC0-1.0", "CC0 1.0"
    CC_BY = "CC-BY-4.0", "CC BY 4.0"

    @property
    def url(self) -> str:
        return {
            "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
            "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
        }[self.value]


class Body(models.Model):
    """A municipality or region that owns its records; one site may host several."""

    access_scope = Scope(bodies=("pk",))

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    deadline_anchor = models.CharField(
        _("one-year clock starts at"),
        max_length=16,
        choices=DeadlineAnchor.choices,
        default=DeadlineAnchor.SUBMITTED,
        help_text=_(
            "Kommunallagen 5 kap. 35 §: municipalities count from submission or from the council meeting."
        ),
    )
    approaching_window_days = models.PositiveSmallIntegerField(
        _("deadline warning window (days)"), default=60
    )
    secretariat_email = models.EmailField(_("secretariat e-mail"), blank=True)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        blank=True,
        help_text=_(
            "Organisationsnummer (a municipality's begins 212000-): names the municipality as publisher in the "
            "open-data catalogue and as creator in archive packages."
        ),
    )
    data_licence = models.CharField(
        _("licence of the open data"),
        max_length=16,
        choices=DataLicence.choices,
        default=DataLicence.CC0,
        help_text=_(
            "Stated on every export, feed and the API. CC0 is what DIGG recommends for a "
            "municipality's own data."
        ),
    )

    # The municipality's own rules for motions and proposals (its arbetsordning and its
    # decisions on citizen proposals and e-proposals): the services and the pages read them
    # here, never from code (DOMAIN.md REQ-LAW-04).
    motion_right = models.CharField(
        _("who may lodge a motion"),
        max_length=24,
        choices=MotionRight.choices,
        default=MotionRight.NOT_CHECKED,
        blank=True,
        help_text=_(
            "From the council's rules of procedure (arbetsordning). Checked against the "
            "council memberships of the motion's term when a motion is registered."
        ),
    )
    motion_cutoff_days = models.PositiveSmallIntegerField(
        _("cut-off before a council meeting (days)"),
        default=0,
        help_text=_(
            "A motion or citizen proposal must be submitted at least this many days before a "
            "council meeting to be raised there, e.g. 14. 0: up to the day of the meeting."
        ),
    )
    citizen_proposals_allowed = models.BooleanField(
        _("citizen proposals allowed"),
        default=True,
        help_text=_(
            "Whether the council has decided that residents may submit citizen proposals "
            "(medborgarförslag)."
        ),
    )
    one_year_rule_citizen_proposals = models.BooleanField(
        _("one-year rule applies to citizen proposals"),
        default=True,
        help_text=_(
            "Give citizen proposals a decision deadline one year on, with the deadline flags "
            "and the undecided report, as motions have under KL 5 kap. 35 §."
        ),
    )
    one_year_rule_e_proposals = models.BooleanField(
        _("one-year rule applies to e-proposals"),
        default=False,
        help_text=_(
            "E-proposals are not in the Local Government Act; tick this only if the "
            "municipality's own rules give them the one-year deadline."
        ),
    )
    e_proposal_threshold = models.PositiveIntegerField(
        _("e-proposal signature threshold"),
        null=True,
        blank=True,
        help_text=_(
            "Signatures a new e-proposal needs, e.g. 150 in Borås. Empty: the municipality has "
            "no e-proposals. Each e-proposal keeps the rule it was submitted under."
        ),
    )
    e_proposal_window_days = models.PositiveSmallIntegerField(
        _("e-proposal signature window (days)"),
        null=True,
        blank=True,
        help_text=_("Days a new e-proposal collects signatures from its submission, e.g. 90."),
    )
    proposal_organ = models.ForeignKey(
        "Organ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organ for citizen proposals and e-proposals"),
        help_text=_(
            "The organ the municipality's rules name, e.g. the executive committee or a "
            "committee: an e-proposal that reaches its threshold is handed to it."
        ),
    )

    # When the row was made and last changed: OParl's `created`/`modified`, and its
    # `modified_since` filter (rows from before the field existed carry its migration time).
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name

    def clean(self):
        if self.proposal_organ_id and self.pk and self.proposal_organ.body_id != self.pk:
            raise ValidationError(
                {"proposal_organ": _("The organ belongs to another municipality.")}
            )
        if (self.e_proposal_threshold is None) != (self.e_proposal_window_days is None):
            raise ValidationError(
                {"e_proposal_window_days": _("Give both the threshold and the window, or neither.")}
            )

    def one_year_rule_applies(self, kind: str) -> bool:
        """Motions always have the KL 5 kap. 35 § deadline; proposals where the rules say so."""
        if kind == "citizen_proposal":
            return self.one_year_rule_citizen_proposals
        if kind == "e_proposal":
            return self.one_year_rule_e_proposals
        return True


class OrganKind(models.TextChoices):
    COUNCIL = "council", _("council (kommunfullmäktige)")
    EXECUTIVE = "executive", _("executive committee (kommunstyrelsen)")
    COMMITTEE = "committee", _("committee (nämnd)")
    COMPANY = "company", _("municipal company (bolag)")
    PREPARATORY = "preparatory", _("preparatory committee (beredning)")


class Organ(index.Indexed, models.Model):
    access_scope = Scope(bodies=("body",))

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="organs", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=160)
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True)
    slug = models.SlugField(_("slug"))
    kind = models.CharField(_("kind"), max_length=16, choices=OrganKind.choices)
    seats = models.PositiveSmallIntegerField(
        _("seats"),
        null=True,
        blank=True,
        help_text=_("Number of members; vote counts must add up to it."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified"), auto_now=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["body", "name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "slug"], name="organ_unique_slug_per_body")
        ]
        verbose_name = _("organ")
        verbose_name_plural = _("organs")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.abbreviation or self.name)
        super().save(*args, **kwargs)


class Party(index.Indexed, models.Model):
    access_scope = Scope(bodies=("body",))

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="parties", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=120)
    abbreviation = models.CharField(_("abbreviation"), max_length=12)
    slug = models.SlugField(_("slug"))

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified"), auto_now=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["body", "name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "slug"], name="party_unique_slug_per_body")
        ]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self):
        return f"{self.name} ({self.abbreviation})"

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.abbreviation)
        super().save(*args, **kwargs)


class Term(models.Model):
    """A four-year mandate period, 15 October of an election year to 14 October four years later."""

    access_scope = Scope(bodies=("body",))

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="terms", verbose_name=_("municipality")
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        ordering = ["body", "-starts_on"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self):
        return f"{self.starts_on.year}–{self.ends_on.year}"

    def clean(self):
        """General elections are held every four years (2018, 2022, 2026 ...); the new council
        takes office on 15 October of the election year. An extra election does not move the term."""
        errors = {}
        if self.starts_on and (
            self.starts_on.year % 4 != 2 or (self.starts_on.month, self.starts_on.day) != (10, 15)
        ):
            errors["starts_on"] = _(
                "A term starts on 15 October of an election year (2018, 2022, 2026 ...)."
            )
        if self.starts_on and self.ends_on and "starts_on" not in errors:
            expected = self.starts_on.replace(year=self.starts_on.year + 4, day=14)
            if self.ends_on != expected:
                errors["ends_on"] = _(
                    "A term ends on 14 October four years after it starts: %(date)s."
                ) % {"date": expected.isoformat()}
        if errors:
            raise ValidationError(errors)


class Coalition(models.Model):
    """A governing coalition, e.g. Borås's "Mittsamverkan" (S-C-L-MP)."""

    access_scope = Scope(bodies=("body",))

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="coalitions", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=120)
    parties = models.ManyToManyField(Party, related_name="coalitions", verbose_name=_("parties"))
    terms = models.ManyToManyField(
        Term, related_name="coalitions", blank=True, verbose_name=_("terms")
    )
    governing = models.BooleanField(_("governing"), default=True)

    class Meta:
        ordering = ["body", "name"]
        verbose_name = _("coalition")
        verbose_name_plural = _("coalitions")

    def __str__(self):
        return self.name


class Person(index.Indexed, models.Model):
    """An elected member. Councillors are shown by name, party and role only (GDPR)."""

    access_scope = Scope(bodies=("body",))

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="people", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"))

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified"), auto_now=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "slug"], name="person_unique_slug_per_body")
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    MEMBER = "member", _("member")
    SUBSTITUTE = "substitute", _("substitute")


class Membership(models.Model):
    access_scope = Scope(bodies=("organ__body",))

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    organ = models.ForeignKey(
        Organ, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organ")
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("party")
    )
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("term")
    )
    role = models.CharField(
        _("role"), max_length=12, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        ordering = ["term", "organ", "person"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.person}, {self.get_role_display()} {self.organ} {self.term}"

    def clean(self):
        bodies = {
            getattr(self, f).body_id
            for f in ("person", "organ", "party", "term")
            if getattr(self, f"{f}_id", None)
        }
        if len(bodies) > 1:
            raise ValidationError(
                _("Person, organ, party and term must belong to the same municipality.")
            )


class Meeting(models.Model):
    access_scope = Scope(bodies=("organ__body",))

    organ = models.ForeignKey(
        Organ, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("organ")
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "date"], name="meeting_unique_per_organ_and_day"
            )
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return self.label(
            organ_abbreviation=self.organ.abbreviation, organ_name=self.organ.name, date=self.date
        )

    @staticmethod
    def label(*, organ_abbreviation, organ_name, date) -> str:
        """`str(meeting)` from its parts, for rows read with `.values()` (exports)."""
        return f"{organ_abbreviation or organ_name} {date:%Y-%m-%d}"


class Topic(models.Model):
    access_scope = Scope(shared=True)

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)


class AreaClassification(models.TextChoices):
    NONE = "", _("not classified")
    PARTICULARLY_VULNERABLE = (
        "particularly_vulnerable",
        _("particularly vulnerable area (särskilt utsatt område)"),
    )
    RISK = "risk", _("risk area (riskområde)")
    VULNERABLE = "vulnerable", _("vulnerable area (utsatt område)")


class Area(models.Model):
    """A neighbourhood; the police's classification of vulnerable areas is stored with its year."""

    access_scope = Scope(bodies=("body",))

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="areas", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"))
    police_classification = models.CharField(
        _("police classification"), max_length=32, choices=AreaClassification.choices, blank=True
    )
    classified_year = models.PositiveSmallIntegerField(
        _("classification year"), null=True, blank=True
    )

    class Meta:
        ordering = ["body", "name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "slug"], name="area_unique_slug_per_body")
        ]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)
