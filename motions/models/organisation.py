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

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name


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

    class Meta:
        ordering = ["body", "-starts_on"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self):
        return f"{self.starts_on.year}–{self.ends_on.year}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("A term must end after it starts.")})


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
