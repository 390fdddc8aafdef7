"""Wagtail pages: the home dashboard, index pages that route to records, and content pages."""

from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage, Paginator
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page

from motions.filters import MotionFilter, ParameterForm, WholeNumberField
from motions.forms import PersonalIdsCheckedPanel
from motions.models import Area, Decision, Motion, Organ, Party
from motions.richtext import SanitisedRichTextField
from motions.selectors import motion_story

from . import sites
from .forms import PublicPageForm
from .pagecache import cacheable
from .views import without_empty_parameters

PAGE_SIZE = 25
MAX_PAGE = 2000  # deep OFFSET pages are the slowest of all; filters narrow a search instead


class DeferredJoinPaginator(Paginator):
    """Pages after the first skip rows by id only, then fetch the page's rows by id: the rows
    OFFSET passes over are never read whole, so page 1,000 costs little more than page 1."""

    def page(self, number):
        number = self.validate_number(number)
        if number == 1 or not isinstance(self.object_list, QuerySet):
            return super().page(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


class PageNumberForm(ParameterForm):
    page = WholeNumberField(min_value=1, required=False)


def paginate(request, queryset, per_page=PAGE_SIZE, *, count=None):
    """A page of results. A page number that is not one (0, -1, "²", 10**20, given twice) is a
    bad request (400); a page past the last, or past MAX_PAGE, is not found (404).
    A `count` the view already knows spares the COUNT query."""
    form = PageNumberForm(request.GET)
    if not form.is_valid():
        raise BadRequest(" ".join(form.errors["page"]))
    number = form.cleaned_data["page"] or 1
    if number > MAX_PAGE:
        raise Http404
    paginator = DeferredJoinPaginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # fills Paginator's cached property
    try:
        return paginator.page(number)
    except EmptyPage as exc:
        raise Http404 from exc


def intro_field(label) -> SanitisedRichTextField:
    """The short introduction a page opens with, in Swedish or in English: one definition for
    every page type that has one."""
    return SanitisedRichTextField(label, blank=True, features=["bold", "italic", "link"])


def in_language(swedish: str, english: str) -> str:
    """The English text when English is the active language and there is one, else the Swedish."""
    return english if english and translation.get_language() == "en" else swedish


class PublicPage(Page):
    """A page of the public site: what it publishes is checked for personal identity numbers
    (REQ-PRIV-02), with the confirmation box first in the editor."""

    base_form_class = PublicPageForm
    title_en = models.CharField(
        _("title in English"),
        max_length=255,
        blank=True,
        help_text=_("Shown on the English pages. Left empty, they show the Swedish title."),
    )

    content_panels = [PersonalIdsCheckedPanel(), *Page.content_panels, FieldPanel("title_en")]

    class Meta:
        abstract = True

    @property
    def local_title(self) -> str:
        """The English title on the English pages when the editor wrote one, else the title."""
        return in_language(self.title, self.title_en)

    @property
    def local_intro(self) -> str:
        """The English introduction on the English pages when there is one, else the intro."""
        return in_language(getattr(self, "intro", ""), getattr(self, "intro_en", ""))

    def get_url_parts(self, request=None):
        """Wagtail's parts, with the path fallback's prefix ("/boras/") kept only on the site
        it belongs to: on another site the page's path is from that site's own root."""
        parts = super().get_url_parts(request)
        if parts is None or parts[2] is None:
            return parts
        site_id, root_url, page_path = parts
        current = sites.request_site(request) if request is not None else sites.current_site()
        prefix = get_script_prefix()
        if prefix != "/" and (current is None or current.pk != site_id):
            page_path = "/" + page_path.removeprefix(prefix)
        return site_id, root_url, page_path

    def get_url(self, request=None, current_site=None):
        """`page.url` in a template has no request: the site being served stands in for it,
        so the link is relative on that site (with the path fallback's prefix)."""
        if request is None and current_site is None:
            current_site = sites.current_site()
        return super().get_url(request=request, current_site=current_site)

    url = property(get_url)


class PortalPage(PublicPage):
    """The start page of an installation shared by several municipalities (a regional host):
    it lists them, each with a link to its own site. Each municipality's home page is a
    child, its slug the municipality's, so the portal's `/boras/` is Borås's site."""

    intro = intro_field(_("introduction"))
    intro_en = intro_field(_("introduction in English"))

    content_panels = [*PublicPage.content_panels, FieldPanel("intro"), FieldPanel("intro_en")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.HomePage", "cms.ContentPage", "cms.AccessibilityStatementPage"]

    class Meta:
        verbose_name = _("portal page")

    def municipalities(self, request):
        """Each live municipality home page below the portal, with the address of its own site."""
        homes = (
            HomePage.objects.child_of(self)
            .live()
            .filter(body__isnull=False)
            .select_related("body")
            .order_by("body__name")
        )
        listed = []
        for home in homes:
            own = sites.site_for_body(home.body_id)
            listed.append(
                {
                    "name": home.body.name,
                    "url": home.get_url(request),
                    "own_url": f"{own.root_url}/" if own else None,
                }
            )
        return listed

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["municipalities"] = self.municipalities(request)
        return context


class HomePage(PublicPage):
    """The dashboard: the latest motions and decisions of the site's municipality."""

    body = models.ForeignKey(
        "motions.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    intro = intro_field(_("introduction"))
    intro_en = intro_field(_("introduction in English"))

    content_panels = [
        *PublicPage.content_panels,
        FieldPanel("body"),
        FieldPanel("intro"),
        FieldPanel("intro_en"),
    ]
    subpage_types = [
        "cms.MotionIndexPage",
        "cms.FollowUpIndexPage",
        "cms.ContentPage",
        "cms.AccessibilityStatementPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        motions = Motion.objects.published().for_list()
        decisions = Decision.objects.published().for_list()
        if self.body_id:
            motions = motions.for_body(self.body_id)
            decisions = decisions.for_body(self.body_id)
        context["latest_motions"] = motions.order_by("-submitted_on", "-id")[:8]
        context["latest_decisions"] = decisions.order_by("-decided_on", "-paragraph")[:8]
        context["overview"] = self.overview()
        return context

    def overview(self) -> dict | None:
        """Where a visitor can go from here, with how many published records each way holds:
        the motions, by area and by party, and the commitments, by target year. Four grouped
        queries over the same `published()` rows every list shows, however many rows."""
        from plans.models import Commitment

        if not self.body_id:
            return None
        motions = Motion.objects.published().for_body(self.body_id).order_by()
        by_year = list(
            Commitment.objects.published()
            .for_body(self.body_id)
            .values_list("target_year")
            .annotate(count=models.Count("id"))
            .order_by("target_year")
        )
        return {
            "motions": motions.count(),
            "areas": motions.filter(areas__isnull=False)
            .values("areas__slug", "areas__name")
            .annotate(count=models.Count("id"))
            .order_by("areas__name"),
            "parties": motions.filter(submitters__party__isnull=False)
            .values("submitters__party__slug", "submitters__party__name")
            .annotate(count=models.Count("id", distinct=True))
            .order_by("submitters__party__name"),
            "commitments": sum(count for _, count in by_year),
            "target_years": by_year,
        }


class MotionIndexPage(RoutablePageMixin, PublicPage):
    """Publishes one municipality's motions: the list, each motion, and party and organ pages."""

    body = models.ForeignKey(
        "motions.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    intro = intro_field(_("introduction"))
    intro_en = intro_field(_("introduction in English"))

    content_panels = [
        *PublicPage.content_panels,
        FieldPanel("body"),
        FieldPanel("intro"),
        FieldPanel("intro_en"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("motion index page")

    def motions(self):
        return Motion.objects.published().for_body(self.body_id)

    @cacheable
    def serve(self, request, *args, **kwargs):
        return without_empty_parameters(request) or super().serve(request, *args, **kwargs)

    @path("")
    def motion_list(self, request):
        filterset = MotionFilter(
            request.GET or None, queryset=self.motions().for_list(), body=self.body_id
        )
        queryset = (
            filterset.qs
            if filterset.is_bound and filterset.is_valid()
            else self.motions().for_list()
        )
        return self.render(
            request,
            context_overrides={"filter": filterset, "page_obj": paginate(request, queryset)},
            template="pages/motion_list.html",
        )

    @path("parti/<slug:slug>/")
    def party_detail(self, request, slug):
        party = get_object_or_404(
            Party.objects.select_related("body"), body_id=self.body_id, slug=slug
        )
        motions = self.motions().by_party([party]).for_list()
        return self.render(
            request,
            context_overrides={"party": party, "page_obj": paginate(request, motions)},
            template="pages/party_detail.html",
        )

    @path("organ/<slug:slug>/")
    def organ_detail(self, request, slug):
        organ = get_object_or_404(Organ, body_id=self.body_id, slug=slug)
        motions = self.motions().by_organ([organ]).for_list()
        return self.render(
            request,
            context_overrides={"organ": organ, "page_obj": paginate(request, motions)},
            template="pages/organ_detail.html",
        )

    @path("omrade/<slug:slug>/")
    def area_detail(self, request, slug):
        area = get_object_or_404(
            Area.objects.select_related("body"), body_id=self.body_id, slug=slug
        )
        motions = self.motions().by_area([area]).for_list()
        return self.render(
            request,
            context_overrides={"area": area, "page_obj": paginate(request, motions)},
            template="pages/area_detail.html",
        )

    @path("<slug:slug>/")
    def motion_detail(self, request, slug):
        from plans.selectors import motion_commitments

        motion = get_object_or_404(self.motions().for_detail(), slug=slug)
        story = motion_story(motion)
        return self.render(
            request,
            context_overrides={
                "motion": motion,
                "story": story,
                **motion_commitments(motion, story),
            },
            template="pages/motion_detail.html",
        )


class ContentPage(PublicPage):
    """A plain page: the privacy notice, about the service, help."""

    body = SanitisedRichTextField(
        _("text"), features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
    )

    content_panels = [*PublicPage.content_panels, FieldPanel("body")]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("content page")


class Compliance(models.TextChoices):
    FULL = "full", _("fully compliant (helt förenlig)")
    PARTIAL = "partial", _("partially compliant (delvis förenlig)")
    NONE = "none", _("not compliant (inte förenlig)")


class AccessibilityStatementPage(PublicPage):
    """Tillgänglighetsredogörelse with the contents DIGG requires (DOS-lagen; DOMAIN.md REQ-ACC-02)."""

    public_actor = models.CharField(_("public actor"), max_length=200)
    service_name = models.CharField(_("service"), max_length=200, default="Beslutsspår")
    compliance = models.CharField(_("compliance"), max_length=10, choices=Compliance.choices)
    inaccessible_content = SanitisedRichTextField(
        _("content that is not accessible, and why"), blank=True
    )
    disproportionate_burden = SanitisedRichTextField(
        _("content exempted as a disproportionate burden (12 §)"), blank=True
    )
    outside_scope = SanitisedRichTextField(_("content outside the law's scope (9 §)"), blank=True)
    assessment_method = SanitisedRichTextField(_("how the service was assessed"))
    assessed_on = models.DateField(_("assessed on"))
    statement_updated_on = models.DateField(_("statement last updated"))
    feedback_email = models.EmailField(_("feedback e-mail"))
    feedback_phone = models.CharField(_("feedback phone"), max_length=40, blank=True)
    enforcement_url = models.URLField(
        _("supervisory authority's report page"), default="https://www.digg.se/tdosanmalan"
    )

    content_panels = [
        *PublicPage.content_panels,
        MultiFieldPanel(
            [FieldPanel("public_actor"), FieldPanel("service_name"), FieldPanel("compliance")],
            _("Service"),
        ),
        FieldPanel("inaccessible_content"),
        FieldPanel("disproportionate_burden"),
        FieldPanel("outside_scope"),
        MultiFieldPanel(
            [
                FieldPanel("assessment_method"),
                FieldPanel("assessed_on"),
                FieldPanel("statement_updated_on"),
            ],
            _("Assessment"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("feedback_email"),
                FieldPanel("feedback_phone"),
                FieldPanel("enforcement_url"),
            ],
            _("Feedback and enforcement"),
        ),
    ]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("accessibility statement")


class Colour(models.TextChoices):
    """The header's colour. Each is dark enough for white text on it, and as text on white,
    at 4.5:1 or more (WCAG 1.4.3; checked in tests/cms/test_sites.py). The CSS class
    `theme-<value>` in static/css/site.css sets `--brand` to it."""

    NAVY = "navy", _("Navy blue")
    BLUE = "blue", _("Blue")
    GREEN = "green", _("Green")
    RED = "red", _("Red")
    PURPLE = "purple", _("Purple")
    TEAL = "teal", _("Teal")
    GREY = "grey", _("Grey")


# The hex value of each colour; the same values are written in static/css/site.css.
PALETTE = {
    Colour.NAVY: "#173a5e",
    Colour.BLUE: "#0b4f8a",
    Colour.GREEN: "#1d5b34",
    Colour.RED: "#8a1c1c",
    Colour.PURPLE: "#5b2d8e",
    Colour.TEAL: "#0e5a5f",
    Colour.GREY: "#3a3a44",
}


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Per-site settings: the municipality's name, logo and colour, its contact details, the
    controller of personal data (personuppgiftsansvarig), and the footer's required links."""

    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    colour = models.CharField(
        _("colour"), max_length=10, choices=Colour.choices, default=Colour.NAVY
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_address = models.TextField(_("postal address"), blank=True)
    controller = models.CharField(
        _("controller of personal data (personuppgiftsansvarig)"),
        max_length=200,
        blank=True,
        help_text=_("Who is responsible for the personal data the site publishes."),
    )
    accessibility_page = models.ForeignKey(
        "cms.AccessibilityStatementPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accessibility statement"),
    )
    privacy_page = models.ForeignKey(
        "cms.ContentPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("privacy notice"),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("organisation_name"), FieldPanel("logo"), FieldPanel("colour")],
            _("Name and look"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_address"),
            ],
            _("Contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("controller"),
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
            ],
            _("Personal data and accessibility"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")


class FollowUpIndexPage(RoutablePageMixin, PublicPage):
    """The public follow-up tracker ("Uppföljning") of one municipality: the summary and list,
    each commitment, target years, action plans, and what became of each party's motions."""

    body = models.ForeignKey(
        "motions.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    intro = intro_field(_("introduction"))
    intro_en = intro_field(_("introduction in English"))

    content_panels = [
        *PublicPage.content_panels,
        FieldPanel("body"),
        FieldPanel("intro"),
        FieldPanel("intro_en"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("follow-up index page")

    @cacheable
    def serve(self, request, *args, **kwargs):
        return without_empty_parameters(request) or super().serve(request, *args, **kwargs)

    def commitments(self):
        from plans.models import Commitment

        return Commitment.objects.published().for_body(self.body_id)

    @path("")
    def tracker(self, request):
        from plans.filters import CommitmentFilter
        from plans.selectors import tracker_summary

        listed = self.commitments().for_list()
        filterset = CommitmentFilter(request.GET or None, queryset=listed, body=self.body_id)
        summary = tracker_summary(self.commitments())
        if filterset.is_valid() and any(filterset.form.cleaned_data.values()):
            page_obj = paginate(request, filterset.qs)
        else:  # the whole list (a bad filter shows it too), which the summary has counted
            page_obj = paginate(request, listed, count=summary["by_status"]["total"])
        return self.render(
            request,
            context_overrides={"summary": summary, "filter": filterset, "page_obj": page_obj},
            template="plans/tracker.html",
        )

    @path("malar/<int:year>/")
    def target_year(self, request, year):
        commitments = self.commitments().filter(target_year=year).for_list()
        return self.render(
            request,
            context_overrides={"year": year, "page_obj": paginate(request, commitments)},
            template="plans/target_year.html",
        )

    @path("handlingsplaner/<slug:slug>/")
    def action_plan(self, request, slug):
        from plans.models import ActionPlan
        from plans.selectors import action_plan_view

        plan = get_object_or_404(
            ActionPlan.objects.published().for_body(self.body_id).for_detail(), slug=slug
        )
        return self.render(
            request,
            context_overrides={"plan": plan, **action_plan_view(plan)},
            template="plans/action_plan.html",
        )

    @path("parti/<slug:slug>/")
    def party_record(self, request, slug):
        from plans.selectors import party_motions

        party = get_object_or_404(Party, body_id=self.body_id, slug=slug)
        return self.render(
            request,
            context_overrides={
                "party": party,
                "page_obj": paginate(request, party_motions(self.body_id, party)),
            },
            template="plans/party_record.html",
        )

    @path("<slug:slug>/")
    def commitment_detail(self, request, slug):
        from plans.selectors import commitment_story

        commitment = get_object_or_404(self.commitments().for_detail(), slug=slug)
        return self.render(
            request,
            context_overrides={"commitment": commitment, **commitment_story(commitment)},
            template="plans/commitment_detail.html",
        )
