"""sitemap.xml: the site's pages and every published record, nothing else."""

from datetime import date
from xml.etree import ElementTree

import pytest

from cms.models import FollowUpIndexPage
from plans import services as plan_services
from tests.factories import (
    AreaFactory,
    CommitmentFactory,
    DecisionFactory,
    MotionFactory,
    OrganFactory,
    PartyFactory,
)

pytestmark = pytest.mark.django_db
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(response):
    assert response.status_code == 200
    return [e.text for e in ElementTree.fromstring(response.content).iter(f"{NS}loc")]


def test_sitemap_index_lists_pages_and_motions(client, public_site):
    published = MotionFactory(body=public_site.body)
    draft = MotionFactory(body=public_site.body, publish=False)
    sections = locations(client.get("/sitemap.xml"))
    assert "http://testserver/sitemap-sider.xml" in sections
    assert "http://testserver/sitemap-motioner.xml" in sections
    motions = locations(client.get("/sitemap-motioner.xml"))
    assert motions == [f"http://testserver/motioner/{published.slug}/"]
    assert draft.slug not in "".join(motions)
    pages = locations(client.get("/sitemap-sider.xml"))  # Wagtail uses the Site's own hostname
    assert any(url.endswith("/motioner/") for url in pages)
    assert any(url.endswith("/tillganglighet/") for url in pages)


@pytest.mark.parametrize("count", [2, 12])
def test_motion_sitemap_queries_are_fixed(
    client, public_site, django_assert_max_num_queries, count
):
    for _n in range(count):
        MotionFactory(body=public_site.body)
    client.get("/sitemap-motioner.xml")
    with django_assert_max_num_queries(2):
        assert len(locations(client.get("/sitemap-motioner.xml"))) == count


def test_unknown_section_is_404(client, public_site):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_commitments_plans_and_the_pages_that_gather_records_are_listed(client, public_site):
    tracker = public_site.home.add_child(
        instance=FollowUpIndexPage(title="Uppföljning", slug="uppfoljning", body=public_site.body)
    )
    decision = DecisionFactory(motion=MotionFactory(body=public_site.body))
    plan = plan_services.action_plan_create(
        body=public_site.body,
        title="Handlingsplan Norrby",
        decision=decision,
        responsible_organ=OrganFactory(body=public_site.body),
        period_start=date(2024, 9, 1),
        period_end=date(2030, 12, 31),
        target_year=2030,
        publish=True,
    )
    commitment = CommitmentFactory(decision=decision, target_year=2030)
    draft = CommitmentFactory(decision=decision, target_year=2031, publish=False)
    party = PartyFactory(body=public_site.body, slug="m")
    area = AreaFactory(body=public_site.body, slug="norrby")
    sections = locations(client.get("/sitemap.xml"))

    commitments = locations(client.get("/sitemap-ataganden.xml"))
    assert commitments == [f"http://testserver{tracker.url}{commitment.slug}/"]
    assert draft.slug not in "".join(commitments)
    plans = locations(client.get("/sitemap-handlingsplaner.xml"))
    assert plans == [f"http://testserver{tracker.url}handlingsplaner/{plan.slug}/"]
    directory = locations(client.get("/sitemap-register.xml"))
    for path in (
        f"/motioner/parti/{party.slug}/",
        f"/motioner/omrade/{area.slug}/",
        f"{tracker.url}malar/2030/",
        f"{tracker.url}parti/{party.slug}/",
    ):
        assert f"http://testserver{path}" in directory
    assert f"{tracker.url}malar/2031/" not in "".join(directory)  # only a draft is due then
    assert len(sections) == 5


@pytest.mark.parametrize("count", [2, 12])
def test_commitment_and_directory_sitemap_queries_are_fixed(
    client, public_site, django_assert_max_num_queries, count
):
    public_site.home.add_child(
        instance=FollowUpIndexPage(title="Uppföljning", slug="uppfoljning", body=public_site.body)
    )
    decision = DecisionFactory(motion=MotionFactory(body=public_site.body))
    for n in range(count):
        CommitmentFactory(decision=decision, target_year=2026 + n)
        AreaFactory(body=public_site.body)
    client.get("/sitemap-ataganden.xml")
    with django_assert_max_num_queries(2):
        assert len(locations(client.get("/sitemap-ataganden.xml"))) == count
    with django_assert_max_num_queries(5):
        assert len(locations(client.get("/sitemap-register.xml"))) >= 2 * count
