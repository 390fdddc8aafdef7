"""`manage.py load_demo`: the seed-based demo loads, is safe to run twice, and keeps drafts private."""

import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Revision, Site

from cms.models import FollowUpIndexPage, HomePage, MotionIndexPage, PortalPage, SiteSettings
from motions.models import Decision, Motion, MotionResult, MotionStatus, Outcome

BORAS_CASE = "KS 2023-01234"


def load_demo(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def row_counts() -> dict[str, int]:
    labels = ("motions", "plans", "cms", "wagtailcore", "auth")
    return {
        m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in labels
    }


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    """Load once for the module (a load takes seconds); each test then runs in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        first_output = load_demo()
        yield first_output
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_loaded, db):
    return _demo_loaded


def test_second_run_creates_nothing_and_admin_gets_a_working_password(demo):
    assert "nya poster" in demo
    assert not get_user_model().objects.exists()  # without --admin no user is touched
    counts = row_counts()

    second = load_demo("--admin")

    assert "Inget nytt" in second
    logins = re.findall(r"  user: (\S+)  password: (\S+)  \((.+)\)", second)
    assert row_counts() == {**counts, "auth.User": 1 + len(logins)}
    assert counts["motions.Motion"] >= 5
    assert counts["wagtailcore.Revision"] > counts["motions.Motion"]  # written through the services
    match = re.search(
        r"Admin: http://127\.0\.0\.1:8000/admin/  user: admin  password: (\S+)", second
    )
    assert match
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    assert user.check_password(match.group(1))
    # One user per role in Borås and Västerås, each in the group of the role it is printed with.
    assert {username for username, _password, _group in logins} >= {
        "boras-sekretariat",
        "boras-handlaggare",
        "boras-granskare",
        "vasteras-sekretariat",
    }
    for username, password, group in logins:
        member = get_user_model().objects.get(username=username)
        assert member.check_password(password)
        assert not member.is_superuser
        assert member.groups.filter(name=group, role__isnull=False).exists()


def test_boras_motion_is_decided_and_approved_after_the_revised_proposal(demo):
    motion = Motion.objects.get(case_number=BORAS_CASE)

    assert motion.live
    assert motion.title == "Inga särskilt utsatta områden ska finnas i Borås!"
    assert (motion.status, motion.result) == (MotionStatus.DECIDED, MotionResult.APPROVED)
    clauses = [c.text for c in motion.clauses.order_by("sort_order")]
    assert len(clauses) == 2
    assert clauses[0].startswith("att Borås Stad inrättar en handlingsplan för Hulta-Hässleholmen")
    assert "Gårdstensmodellen" in clauses[1]
    assert motion.submitters.get().display_name == "Anna Christensen (M)"

    proposal = motion.proposals.get()
    versions = Revision.objects.for_instance(proposal).order_by("created_at", "id")
    assert versions.count() == 2
    first, latest = (v.as_object() for v in versions)
    assert {o.outcome for o in first.outcomes.all()} == {Outcome.ANSWERED}
    assert {o.outcome for o in latest.outcomes.all()} == {Outcome.APPROVED}

    decision = Decision.objects.get(motion=motion)
    assert decision.paragraph == 85
    assert decision.vote_total == decision.meeting.organ.seats == 73
    assert sum(v.votes_for for v in decision.party_votes.all()) == decision.votes_for
    assert decision.minutes_approved_on is not None
    assert decision.notice_posted_on is not None


def test_decisions_without_a_motion_are_loaded_for_the_plans(demo):
    titles = set(Decision.objects.filter(motion=None).values_list("title", flat=True))
    assert {"Program för social hållbarhet", "Samhällskontrakt för minskad utsatthet"} <= titles


def test_draft_motion_is_not_live_and_not_public(demo, client):
    draft = Motion.objects.get(title__startswith="Utkastmotion hemlig")
    assert not draft.live

    listing = client.get("/boras/motioner/")  # Borås on the portal's path fallback
    detail = client.get(f"/boras/motioner/{draft.slug}/")

    assert listing.status_code == 200
    assert "Utkastmotion hemlig" not in listing.content.decode()
    assert detail.status_code == 404


def test_resident_contact_details_never_reach_the_public_page(demo, client):
    proposal = Motion.objects.get(kind="e_proposal")
    submitter = proposal.submitters.get()

    url = urlsplit(proposal.get_url())  # on the municipality's own site
    page = client.get(url.path, HTTP_HOST=url.netloc).content.decode()

    assert submitter.resident_email
    assert submitter.resident_phone
    assert submitter.resident_email not in page
    assert submitter.resident_phone not in page


def test_a_portal_and_a_site_of_each_municipality_with_its_own_footer_pages(demo, client):
    portal = Site.objects.get(is_default_site=True)
    assert type(portal.root_page.specific) is PortalPage
    listing = client.get("/").content.decode()
    for slug in ("boras", "vasteras", "stenungsund", "kungalv", "goteborg"):
        site = Site.objects.get(hostname=f"{slug}.localhost")
        home = site.root_page.specific
        assert type(home) is HomePage
        assert home.body.slug == slug
        assert home.get_parent().pk == portal.root_page_id
        assert f'href="/{slug}/"' in listing

        settings = SiteSettings.for_site(site)
        assert settings.organisation_name == home.body.name
        assert settings.controller == f"Kommunstyrelsen i {home.body.name}"
        assert settings.accessibility_page.get_parent().pk == home.pk
        assert settings.accessibility_page.live
        assert settings.accessibility_page.compliance == "partial"
        assert settings.privacy_page.get_parent().pk == home.pk
        assert FollowUpIndexPage.objects.child_of(home).live().exists()

        statement = client.get(f"/{slug}/tillganglighet/").content.decode()
        assert "https://www.digg.se/tdosanmalan" in statement
        assert home.body.name in statement
        privacy = client.get(f"/{slug}/personuppgifter/").content.decode()
        assert "6.1 e" in privacy
        assert f"Kommunstyrelsen i {home.body.name} är personuppgiftsansvarig" in privacy
        assert f"<title>Personuppgifter – {home.body.name}</title>" in privacy
    assert MotionIndexPage.objects.child_of(HomePage.objects.get(body__slug="boras")).exists()


def test_the_demo_prints_how_to_reach_each_municipality(demo):
    assert "Borås Stad: http://localhost:8000/boras/  eller  http://boras.localhost:8000/" in demo
    assert "Västerås stad: http://localhost:8000/vasteras/" in demo
