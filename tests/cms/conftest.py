"""Two municipalities on one installation: a portal on the default site and a site of each."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.cache import cache
from wagtail.models import Page, Site

from cms.models import (
    AccessibilityStatementPage,
    Colour,
    Compliance,
    ContentPage,
    FollowUpIndexPage,
    HomePage,
    MotionIndexPage,
    PortalPage,
    SiteSettings,
)
from tests.factories import (
    BodyFactory,
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    MotionFactory,
)


@dataclass
class Municipality:
    slug: str
    name: str
    marker: str  # a word only this municipality's records hold
    site: Site
    body: object
    home: HomePage
    privacy: ContentPage
    accessibility: AccessibilityStatementPage
    motion: object
    decision: object
    commitment: object
    followup: object

    @property
    def host(self) -> str:
        return f"{self.slug}.localhost"


def _municipality(portal, slug, name, marker, colour) -> Municipality:
    body = BodyFactory(name=name, slug=slug)
    home = portal.add_child(instance=HomePage(title=f"Start {marker}", slug=slug, body=body))
    home.add_child(instance=MotionIndexPage(title="Motioner", slug="motioner", body=body))
    home.add_child(instance=FollowUpIndexPage(title="Uppföljning", slug="uppfoljning", body=body))
    privacy = home.add_child(
        instance=ContentPage(
            title="Personuppgifter",
            slug="personuppgifter",
            body=f"<p>Kommunstyrelsen i {name} är personuppgiftsansvarig.</p>",
        )
    )
    accessibility = home.add_child(
        instance=AccessibilityStatementPage(
            title="Tillgänglighetsredogörelse",
            slug="tillganglighet",
            public_actor=name,
            compliance=Compliance.PARTIAL,
            assessment_method="<p>Självskattning.</p>",
            assessed_on=date(2026, 1, 15),
            statement_updated_on=date(2026, 1, 15),
            feedback_email=f"tillganglighet@{slug}.example",
        )
    )
    site = Site.objects.create(
        hostname=f"{slug}.localhost", port=80, root_page=home, site_name=name
    )
    settings = SiteSettings.for_site(site)
    settings.organisation_name = name
    settings.colour = colour
    settings.contact_email = f"kommun@{slug}.example"
    settings.controller = f"Kommunstyrelsen i {name}"
    settings.privacy_page = privacy
    settings.accessibility_page = accessibility
    settings.save()

    motion = MotionFactory(body=body, title=f"{marker} i alla parker, motion")
    decision = DecisionFactory(motion=motion, title=f"Beslut om {marker}")
    commitment = CommitmentFactory(
        decision=decision, title=f"Åtagande {marker}", slug=f"atagande-{slug}"
    )
    followup = FollowUpFactory(commitment=commitment, reason=f"Arbetet med {marker} pågår.")
    return Municipality(
        slug, name, marker, site, body, home, privacy, accessibility, motion, decision,
        commitment, followup,
    )  # fmt: skip


@pytest.fixture
def municipalities(db):
    """Borås and Västerås, each on its own site (`boras.localhost`, `vasteras.localhost`)
    under a portal on the default site (`localhost`, and any other host), each with a
    published motion, decision, commitment and follow-up carrying its own marker word."""
    root = Page.get_first_root_node()
    portal = root.add_child(instance=PortalPage(title="Alla kommuner", slug="portal"))
    default = Site.objects.get(is_default_site=True)
    default.root_page, default.hostname, default.site_name = portal, "localhost", "Beslutsspår"
    default.save()
    Page.objects.filter(depth=2).exclude(pk=portal.pk).delete()  # Wagtail's "Welcome" page
    boras = _municipality(portal, "boras", "Borås Stad", "Kanelbulle", Colour.BLUE)
    vasteras = _municipality(portal, "vasteras", "Västerås stad", "Lingonsylt", Colour.RED)
    cache.clear()
    return boras, vasteras
