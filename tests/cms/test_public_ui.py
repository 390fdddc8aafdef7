"""What citizens see on every page: the header's search box, the home page's ways into the
record, progress bars, filter buttons, addresses without empty parameters, and the API docs."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.cache import cache

from cms.models import FollowUpIndexPage
from motions.models import Motion
from tests.factories import (
    AreaFactory,
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    MotionFactory,
    PartyFactory,
)

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def tracker(public_site):
    page = public_site.home.add_child(
        instance=FollowUpIndexPage(title="Uppföljning", slug="uppfoljning", body=public_site.body)
    )
    cache.clear()
    return page


@pytest.fixture
def record(public_site, tracker):
    """A published motion by (M) about one area, decided, with a commitment 40 % done."""
    party = PartyFactory(body=public_site.body, name="Moderaterna", abbreviation="M", slug="m")
    area = AreaFactory(body=public_site.body, name="Norrby", slug="norrby")
    motion = MotionFactory(body=public_site.body, party=party, title="Fler bänkar i Norrby")
    Motion.areas.through.objects.create(motion=motion, area=area)
    commitment = CommitmentFactory(
        decision=DecisionFactory(motion=motion), target_year=2027, slug="bankar"
    )
    FollowUpFactory(commitment=commitment, progress=40)
    return party, area, motion, commitment


def header_search(response):
    """The header's search form: (form, its input, the input's label)."""
    page = soup(response)
    form = page.select_one("header form[role=search]")
    assert form is not None, "no search box in the header"
    field = form.find("input", attrs={"name": "q"})
    label = form.find("label", attrs={"for": field["id"]})
    return form, field, label


# --- the header's search box -------------------------------------------------------------------


def test_every_public_page_type_has_a_labelled_search_box_in_its_header(
    client, public_site, record, tracker
):
    party, area, motion, commitment = record
    pages = [
        "/",
        public_site.motions_url,
        f"{public_site.motions_url}{motion.slug}/",
        f"{public_site.motions_url}parti/{party.slug}/",
        f"{public_site.motions_url}omrade/{area.slug}/",
        tracker.url,
        f"{tracker.url}{commitment.slug}/",
        f"{tracker.url}parti/{party.slug}/",
        f"{tracker.url}malar/2027/",
        public_site.privacy.url,
        public_site.accessibility.url,
        "/sok/?q=bänkar",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        form, field, label = header_search(response)
        assert form["method"] == "get", url
        assert form["action"] == "/sok/", url
        assert form.get("aria-label"), url  # told apart from the search page's own form
        assert field["type"] == "search", url
        assert label is not None, url
        assert label.get_text(strip=True), url
        assert form.find("button", attrs={"type": "submit"}).get_text(strip=True), url
    not_found = client.get("/finns-inte/")
    assert not_found.status_code == 404
    assert header_search(not_found)[0]["action"] == "/sok/"


def test_the_search_box_searches_the_municipalitys_own_site_and_the_english_pages(
    client, municipalities
):
    boras, _vasteras = municipalities
    own_site = client.get("/", HTTP_HOST=boras.host)
    assert header_search(own_site)[0]["action"] == "/sok/"
    portal_path = client.get("/boras/")  # the portal's path fallback keeps the prefix
    assert header_search(portal_path)[0]["action"] == "/boras/sok/"

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/", HTTP_HOST=boras.host)
    assert soup(english).html["lang"] == "en"
    form, _field, label = header_search(english)
    assert form["action"] == "/sok/"
    assert label.get_text(strip=True) == "Search motions, decisions and commitments"
    results = client.get(form["action"], {"q": boras.marker}, HTTP_HOST=boras.host)
    assert results.status_code == 200
    assert results.context["total"] > 0


# --- the home page ------------------------------------------------------------------------------


def test_home_leads_to_motions_tracker_areas_parties_and_target_years_with_counts(
    client, public_site, record, tracker
):
    party, area, _motion, _commitment = record
    MotionFactory(body=public_site.body, party=party, publish=False)  # a draft counts nowhere
    links = {
        a["href"]: " ".join(a.get_text().split())
        for a in soup(client.get("/")).select("main nav.overview a")
    }
    motions = public_site.motions_url
    assert re.search(r"\b1\b", links[motions])
    assert re.search(r"\b1\b", links[tracker.url])
    assert links[f"{motions}omrade/{area.slug}/"].startswith("Norrby: 1 ")
    assert links[f"{motions}parti/{party.slug}/"].startswith("Moderaterna: 1 ")
    assert links[f"{tracker.url}malar/2027/"].startswith("2027: 1 ")


@pytest.mark.parametrize("count", [2, 12])
def test_the_home_pages_ways_in_cost_the_same_queries_however_many_records(
    client, public_site, tracker, django_assert_max_num_queries, count
):
    for n in range(count):
        party = PartyFactory(body=public_site.body)
        area = AreaFactory(body=public_site.body)
        motion = MotionFactory(body=public_site.body, party=party)
        Motion.areas.through.objects.create(motion=motion, area=area)
        CommitmentFactory(decision=DecisionFactory(motion=motion), target_year=2026 + n)
    client.get("/")  # fill the per-process caches (index URLs, site root)
    with django_assert_max_num_queries(14):
        response = client.get("/")
    overview = soup(response).select_one("main nav.overview")
    assert len(overview.select("a[href*='/omrade/']")) == count
    assert len(overview.select("a[href*='/parti/']")) == count
    assert len(overview.select("a[href*='/malar/']")) == count


# --- progress bars and buttons ------------------------------------------------------------------


def assert_progress_bar(response, value: int):
    bar = soup(response).select_one("main progress")
    assert bar is not None, "no progress bar"
    assert bar["max"] == "100"
    assert bar["value"] == str(value)
    assert bar.get("aria-label") or bar.get("aria-labelledby")
    assert bar.find_next_sibling(class_="progress__number").get_text(strip=True) == f"{value} %"


def test_commitment_progress_is_a_bar_and_a_number_in_the_tracker_page_and_party_record(
    client, record, tracker
):
    party, _area, _motion, commitment = record
    for url in (
        tracker.url,
        f"{tracker.url}{commitment.slug}/",
        f"{tracker.url}parti/{party.slug}/",
    ):
        assert_progress_bar(client.get(url), 40)


def test_the_progress_bar_stands_out_at_3_to_1_in_every_site_colour():
    from cms.models import PALETTE
    from tests.cms.test_sites import _luminance

    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    for rule in ("progress::-webkit-progress-value", "progress::-moz-progress-bar"):
        assert re.search(re.escape(rule) + r" \{[^}]*background: var\(--brand\)", css), rule
    assert re.search(r"\nprogress \{[^}]*background: #fff", css)  # the track behind the fill
    for colour in PALETTE.values():
        assert (1 + 0.05) / (_luminance(colour) + 0.05) >= 3, colour


def test_every_filter_forms_submit_button_is_styled_as_a_button(client, public_site, tracker):
    for url in (public_site.motions_url, tracker.url):
        button = soup(client.get(url)).select_one("form.filter-form button[type=submit]")
        assert "button" in button["class"], url
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    rule = re.search(r"\n\.button \{([^}]*)\}", css).group(1)
    assert "background: var(--brand)" in rule
    assert "border:" in rule


# --- empty parameters leave the address -----------------------------------------------------------


def test_empty_filter_parameters_redirect_to_the_address_without_them(client, public_site, tracker):
    motions = public_site.motions_url
    cases = {
        f"{motions}?status=&year=2024&party=&q=": f"{motions}?year=2024",
        f"{motions}?q=&year=2024&page=&status=decided": f"{motions}?year=2024&status=decided",
        f"{motions}?status=&party=": motions,
        f"{tracker.url}?status=&year=2027": f"{tracker.url}?year=2027",
        f"{tracker.url}parti/m/?page=": f"{tracker.url}parti/m/",
        "/sok/?q=&typ=motioner": "/sok/?typ=motioner",
        "/sok/?q=+": "/sok/",
    }
    for given, expected in cases.items():
        response = client.get(given)
        assert response.status_code == 302, given
        assert response["Location"] == expected, given


def test_parameters_with_values_keep_their_spelling_and_invalid_values_their_message(
    client, public_site
):
    motions = public_site.motions_url
    assert client.get(f"{motions}?q=b%C3%A4nk&year=2024").status_code == 200  # nothing empty
    moved = client.get(f"{motions}?q=b%C3%A4nk+gr%C3%B6n&party=")
    assert moved["Location"] == f"{motions}?q=b%C3%A4nk+gr%C3%B6n"

    invalid = client.get(f"{motions}?year=abc&party=")
    assert invalid["Location"] == f"{motions}?year=abc"
    today = client.get(f"{motions}?year=abc")
    followed = client.get(invalid["Location"])
    assert followed.status_code == today.status_code
    assert followed.context["filter"].form.errors == today.context["filter"].form.errors
    assert followed.context["filter"].form.errors["year"]

    # Given twice, one of them empty: still two answers to one question, refused as before.
    repeated = client.get(f"{motions}?year=&year=2024")
    assert repeated.status_code != 302
    assert repeated.context["filter"].form.errors["year"]


# --- the API's interactive documentation ----------------------------------------------------------


def test_the_api_docs_page_has_a_language_a_main_landmark_and_a_heading(client, public_site):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = soup(response)
    assert page.html["lang"] == "en"
    (main,) = page.find_all("main")
    (heading,) = page.find_all("h1")
    assert heading in main.descendants
    assert heading.get_text(strip=True) == "Beslutsspår open data API"
    assert main.select_one("#swagger-ui") is not None  # the interactive part is in the main
    assert main.find("a", href="/api/v1/openapi.json") is not None
    assert page.title.get_text(strip=True)
