"""Fixtures shared by every app's tests. Factories live in tests/factories.py."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.signal_handlers import reference_index_auto_update_disabled

from cms.models import (
    AccessibilityStatementPage,
    Compliance,
    ContentPage,
    HomePage,
    MotionIndexPage,
    SiteSettings,
)
from motions.models import Body
from subscriptions.models import Frequency, Subscriber, Subscription
from tests.factories import BodyFactory

# Playwright's browser and page fixtures, for browser tests in any app's directory.
pytest_plugins = ["tests.browser.fixtures"]


def pytest_terminal_summary(terminalreporter):
    """The real-worker fault tests' table of expected and delivered e-mails (tests/production)."""
    from tests.production import faults

    if faults.ROWS:
        terminalreporter.section("fault table: e-mails expected and delivered")
        for line in faults.table():
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Index-page URLs are cached (cms.routing); a test must not see another test's pages."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _reference_index_off(request):
    """Wagtail's reference index (the admin's "Usage" pages) is rewritten on every save and is a
    third of what building a record costs here; no rule of ours reads it. Tests marked
    `reference_index` keep it, and load_demo rebuilds it for every model at the end."""
    if request.node.get_closest_marker("reference_index"):
        yield
        return
    # Set by hand: Wagtail's context manager cannot nest, and load_demo uses it inside tests.
    reference_index_auto_update_disabled.value = True
    yield
    if hasattr(reference_index_auto_update_disabled, "value"):
        del reference_index_auto_update_disabled.value


@dataclass
class PublicSite:
    site: Site
    body: Body
    home: HomePage
    motions: MotionIndexPage
    privacy: ContentPage
    accessibility: AccessibilityStatementPage

    @property
    def motions_url(self) -> str:
        return self.motions.url


@pytest.fixture
def body(db):
    return BodyFactory(name="Borås Stad", slug="boras")


@pytest.fixture
def public_site(db, body) -> PublicSite:
    """The default Wagtail site rooted at a HomePage with the motion index at /motioner/,
    and the footer's accessibility statement and privacy notice, as `load_demo` sets it up."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Beslutsspår", slug="start", body=body))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.site_name = "Beslutsspår"
    site.save()
    Page.objects.filter(depth=2).exclude(pk=home.pk).delete()  # Wagtail's "Welcome" page

    index = home.add_child(instance=MotionIndexPage(title="Motioner", slug="motioner", body=body))
    privacy = home.add_child(
        instance=ContentPage(
            title="Personuppgifter",
            slug="personuppgifter",
            body="<p>Så behandlar vi personuppgifter.</p>",
        )
    )
    accessibility = home.add_child(
        instance=AccessibilityStatementPage(
            title="Tillgänglighetsredogörelse",
            slug="tillganglighet",
            public_actor=body.name,
            compliance=Compliance.PARTIAL,
            assessment_method="<p>Självskattning och automatisk granskning med axe.</p>",
            assessed_on=date(2025, 1, 15),
            statement_updated_on=date(2025, 1, 15),
            feedback_email="tillganglighet@example.org",
        )
    )
    settings = SiteSettings.for_site(site)
    settings.organisation_name = body.name
    settings.privacy_page = privacy
    settings.accessibility_page = accessibility
    settings.save()
    cache.clear()
    return PublicSite(site, body, home, index, privacy, accessibility)


@pytest.fixture
def follow(db):
    """A confirmed follow, as after the subscriber clicked the confirmation link."""

    def make(email: str, target, frequency: str = Frequency.IMMEDIATE) -> Subscription:
        subscriber, _created = Subscriber.objects.get_or_create(email=email)
        return Subscription.objects.create(
            subscriber=subscriber,
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
            frequency=frequency,
            confirmed_at=timezone.now(),
        )

    return make


@pytest.fixture
def superuser(client, django_user_model):
    """A superuser signed in on `client`: the one the admin hides nothing from."""
    user = django_user_model.objects.create_superuser("admin", password="x")
    client.force_login(user)
    return user
