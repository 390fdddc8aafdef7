"""Slugs are unique within a municipality, not across them: two councils both have a party "m"
and an executive committee "ks". Without `body` a slug filter matches in every municipality (a
national journalist asking for all motions by M); with `body`, or on a municipality's own pages,
feeds and exports, only there."""

from dataclasses import dataclass

import pytest
from wagtail.models import Page, Site

from cms.models import FollowUpIndexPage
from motions.models import Body
from plans import services as plan_services
from tests.factories import (
    AreaFactory,
    BodyFactory,
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    MotionFactory,
    OrganFactory,
    PartyFactory,
    PersonFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class Council:
    """One municipality's record, every slug in it shared with the other municipality's."""

    body: Body
    motion: object
    other_motion: object
    decision: object
    commitment: object
    plan: object
    followup: object


def council(body, marker: str) -> Council:
    m = PartyFactory(body=body, slug="m", name=f"Moderaterna {marker}", abbreviation="M")
    s = PartyFactory(body=body, slug="s", name=f"Socialdemokraterna {marker}", abbreviation="S")
    ks = OrganFactory(body=body, executive=True, slug="ks")
    area = AreaFactory(body=body, slug="norrby")
    anna = PersonFactory(body=body, slug="anna")
    motion = MotionFactory(
        body=body,
        title=f"Motion från M i {marker}",
        submitters=[{"person": anna, "party": m}],
        areas=[area],
    )
    ProposalFactory(motion=motion, organ=ks)
    other_motion = MotionFactory(body=body, party=s, title=f"Motion från S i {marker}")
    decision = DecisionFactory(motion=motion, title=f"Beslut i {marker}")
    plan = plan_services.action_plan_create(
        body=body,
        title=f"Handlingsplan {marker}",
        slug="plan",
        decision=decision,
        responsible_organ=ks,
        period_start=decision.decided_on,
        period_end=decision.decided_on.replace(year=2030),
        target_year=2030,
        actions=[{"title": f"Åtgärd {marker}", "owner": ks}],
        publish=True,
    )
    commitment = CommitmentFactory(
        decision=decision,
        responsible_organ=ks,
        title=f"Åtagande {marker}",
        action_plan=plan,
        areas=[area],
    )
    followup = FollowUpFactory(commitment=commitment, narrative=f"Uppföljning {marker}")
    return Council(body, motion, other_motion, decision, commitment, plan, followup)


# A site that is no municipality's, as a regional host's portal: its API, feeds and exports
# cover every municipality. Borås's own site (the default one) shows only Borås's.
PORTAL = "portal.localhost"


@pytest.fixture
def councils(public_site):
    """Borås (the public site, with its motion index) and Västerås, slug for slug alike."""
    Site.objects.create(hostname=PORTAL, root_page=Page.get_first_root_node())
    return council(public_site.body, "Borås"), council(
        BodyFactory(name="Västerås stad", slug="vasteras"), "Västerås"
    )


def api_ids(client, url):
    response = client.get(url, HTTP_HOST=PORTAL)
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["data"])


@pytest.mark.parametrize("query", ["party=m", "organ=ks", "area=norrby", "submitter=anna"])
def test_motions_by_a_shared_slug_match_in_every_municipality(client, councils, query):
    boras, vasteras = councils
    both = sorted([boras.motion.pk, vasteras.motion.pk])
    assert api_ids(client, f"/api/v1/motions?{query}") == both
    assert api_ids(client, f"/api/v1/motions?{query}&body=vasteras") == [vasteras.motion.pk]


@pytest.mark.parametrize("query", ["party=m", "organ=ks", "area=norrby", "plan=plan"])
def test_commitments_by_a_shared_slug_match_in_every_municipality(client, councils, query):
    boras, vasteras = councils
    both = sorted([boras.commitment.pk, vasteras.commitment.pk])
    assert api_ids(client, f"/api/v1/commitments?{query}") == both
    assert api_ids(client, f"/api/v1/commitments?{query}&body=vasteras") == [vasteras.commitment.pk]


@pytest.mark.parametrize("resource", ["motions", "commitments"])
@pytest.mark.parametrize("query", ["party=kd", "party=kd&body=vasteras", "party=m&body=nowhere"])
def test_an_unknown_slug_is_a_400_naming_the_parameter(client, councils, resource, query):
    response = client.get(f"/api/v1/{resource}?{query}", HTTP_HOST=PORTAL)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert ("party" in detail) or ("body" in detail)


# --- a municipality's own pages, feeds and exports: the slug names its row only ------------


@pytest.fixture
def tracker(public_site):
    return public_site.home.add_child(
        instance=FollowUpIndexPage(title="Uppföljning", slug="uppfoljning", body=public_site.body)
    )


def text(response) -> str:
    assert response.status_code == 200
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8-sig")


@pytest.mark.parametrize("query", ["party=m", "organ=ks", "area=norrby", "submitter=anna"])
def test_the_motion_list_page_filters_its_own_municipality(client, councils, query):
    page = text(client.get(f"/motioner/?{query}"))
    assert "Motion från M i Borås" in page
    assert "Motion från S i Borås" not in page
    assert "Västerås" not in page


def test_the_active_filter_names_the_municipalitys_party(client, councils):
    page = text(client.get("/motioner/?party=m"))
    assert "<strong>Moderaterna Borås (M)</strong>" in page


@pytest.mark.parametrize("query", ["party=m", "organ=ks", "area=norrby", "plan=plan"])
def test_the_tracker_filters_its_own_municipality(client, councils, tracker, query):
    page = text(client.get(f"/uppfoljning/?{query}"))
    assert "Åtagande Borås" in page
    assert "Åtagande Västerås" not in page


@pytest.mark.parametrize("kind", ["parti/m", "organ/ks", "omrade/norrby"])
def test_feeds_by_a_shared_slug_list_their_municipality(client, councils, kind):
    boras = text(client.get(f"/flode/boras/{kind}/"))
    vasteras = text(client.get(f"/flode/vasteras/{kind}/", HTTP_HOST=PORTAL))
    assert "Motion från M i Borås" in boras
    assert "Västerås" not in boras
    assert "Motion från M i Västerås" in vasteras
    assert "Borås" not in vasteras
    assert (
        client.get(f"/flode/vasteras/{kind.split('/')[0]}/kd/", HTTP_HOST=PORTAL).status_code == 404
    )
    assert client.get(f"/flode/vasteras/{kind}/").status_code == 404  # not on Borås's site


def test_the_party_feed_is_titled_with_the_municipalitys_party(client, councils):
    assert "Moderaterna Västerås (M)" in text(
        client.get("/flode/vasteras/parti/m/", HTTP_HOST=PORTAL)
    )


def test_exports_by_a_shared_slug_list_their_municipality(client, councils):
    motions = text(client.get("/export/vasteras/motioner.csv?party=m", HTTP_HOST=PORTAL))
    assert "Motion från M i Västerås" in motions
    assert "Borås" not in motions
    assert "Motion från S" not in motions
    commitments = text(
        client.get("/export/vasteras/ataganden.csv?organ=ks&party=m", HTTP_HOST=PORTAL)
    )
    assert "Åtagande Västerås" in commitments
    assert "Borås" not in commitments
    assert client.get("/export/vasteras/motioner.csv?party=kd", HTTP_HOST=PORTAL).status_code == 400
    assert client.get("/export/vasteras/motioner.csv?party=m").status_code == 404  # Borås's site
