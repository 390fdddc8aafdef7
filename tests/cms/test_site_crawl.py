"""Two municipalities in one database: every public channel of one site (pages, search,
feeds, sitemap, API, exports, follow pages) holds no marker word of the other, and the path
fallback on the portal (`localhost/boras/...`) serves what the hostname does."""

import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motions.models import Decision

pytestmark = pytest.mark.django_db


def crawl_paths(m) -> list[str]:
    """Every public channel of municipality `m`'s site, as paths from the site's root."""
    motion, commitment = m.motion, m.commitment
    party = motion.submitters.first().party
    return [
        "/",
        "/motioner/",
        f"/motioner/{motion.slug}/",
        f"/motioner/parti/{party.slug}/",
        "/uppfoljning/",
        f"/uppfoljning/{commitment.slug}/",
        "/uppfoljning/malar/2030/",
        "/personuppgifter/",
        "/tillganglighet/",
        "/sok/?q=motion",
        "/sok/?q=parker",
        f"/folj/?target=motion:{motion.pk}",
        f"/flode/{m.slug}/motioner/",
        f"/flode/{m.slug}/beslut/",
        f"/flode/{m.slug}/uppfoljningar/",
        f"/flode/{m.slug}/kalender.ics",
        f"/flode/{m.slug}/motion/{motion.slug}/",
        f"/flode/{m.slug}/atagande/{commitment.slug}/",
        "/sitemap.xml",
        *(
            f"/sitemap-{section}.xml"
            for section in ("sider", "motioner", "ataganden", "handlingsplaner", "register")
        ),
        *(
            f"/api/v1/{resource}"
            for resource in (
                "bodies",
                "organs",
                "parties",
                "people",
                "meetings",
                "motions",
                "decisions",
                "commitments",
                "action-plans",
                "indicators",
                "followups",
            )
        ),
        f"/api/v1/motions/{motion.pk}",
        f"/api/v1/commitments/{commitment.pk}",
        f"/export/{m.slug}/motioner.csv",
        f"/export/{m.slug}/motioner.json",
        f"/export/{m.slug}/ataganden.csv",
    ]


def fetch(client, path: str, host: str) -> str:
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, (host, path, response.status_code)
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("which", [0, 1])
def test_each_site_crawl_holds_nothing_of_the_other_municipality(client, municipalities, which):
    own, other = municipalities[which], municipalities[1 - which]
    for path in crawl_paths(own):
        content = fetch(client, path, own.host)
        assert other.marker not in content, path
        assert other.name not in content, path
        assert other.host not in content, path
    # ...and the pages it does hold are its own: the crawl is not empty.
    assert own.marker in fetch(client, "/motioner/", own.host)
    assert own.marker in fetch(client, "/api/v1/followups", own.host)
    assert own.marker in fetch(client, "/sok/?q=parker", own.host)


@pytest.mark.parametrize("which", [0, 1])
def test_the_other_municipalitys_addresses_are_not_found_on_a_site(client, municipalities, which):
    own, other = municipalities[which], municipalities[1 - which]
    for path in [
        f"/motioner/{other.motion.slug}/",
        f"/uppfoljning/{other.commitment.slug}/",
        f"/flode/{other.slug}/motioner/",
        f"/flode/{other.slug}/kalender.ics",
        f"/flode/{other.slug}/atagande/{other.commitment.slug}/",
        f"/export/{other.slug}/motioner.csv",
        f"/export/{other.slug}/ataganden.csv",
        f"/api/v1/motions/{other.motion.pk}",
        f"/api/v1/decisions/{other.decision.pk}",
        f"/api/v1/commitments/{other.commitment.pk}",
        f"/api/v1/followups/{other.followup.pk}",
        f"/api/v1/bodies/{other.body.pk}",
        f"/api/v1/motions?body={other.slug}",
        f"/{other.slug}/",  # the path fallback is the portal's, not a municipality's
    ]:
        assert client.get(path, HTTP_HOST=own.host).status_code == 404, path


def _as_hostname(content: str, m) -> str:
    """A page served by the path fallback, its addresses written as the hostname's."""
    content = content.replace(f"http://localhost/{m.slug}/", f"http://{m.host}/")
    content = re.sub(rf'(["\'=>]|URL:)/{m.slug}/', r"\1/", content)
    content = re.sub(r"DTSTAMP:\w+", "", content)  # the calendar's time of writing
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content)


def test_the_path_fallback_serves_what_the_hostname_does(client, municipalities):
    for m in municipalities:
        for path in crawl_paths(m):
            by_host = fetch(client, path, m.host)
            by_path = fetch(client, f"/{m.slug}{path}", "localhost")
            assert _as_hostname(by_path, m) == _as_hostname(by_host, m), path


def test_the_path_fallback_links_stay_under_the_municipalitys_prefix(client, municipalities):
    boras, _vasteras = municipalities
    home = fetch(client, "/boras/", "localhost")
    assert 'href="/boras/motioner/"' in home
    assert 'href="/boras/uppfoljning/"' in home
    assert 'action="/boras/sok/"' in home  # the header search box
    assert f'href="/boras/motioner/{boras.motion.slug}/"' in home
    assert 'href="/boras/personuppgifter/"' in home
    api = fetch(client, "/boras/api/v1/motions", "localhost")
    assert f"http://localhost/boras/api/v1/motions/{boras.motion.pk}" in api
    assert f"http://localhost/boras/motioner/{boras.motion.slug}/" in api


def test_a_municipality_page_costs_no_more_queries_by_path_than_by_host(
    client, municipalities, django_assert_max_num_queries
):
    """The site comes from the cached map, so neither way asks the database for it."""
    boras, _vasteras = municipalities
    counts = {}
    for host, prefix in ((boras.host, ""), ("localhost", "/boras")):
        fetch(client, f"{prefix}/motioner/", host)  # warm the caches of sites and index pages
        for path, most in (("/motioner/", 17), ("/", 14)):
            with (
                CaptureQueriesContext(connection) as queries,
                django_assert_max_num_queries(most),
            ):
                fetch(client, f"{prefix}{path}", host)
            counts[host, path] = len(queries)
    assert counts[boras.host, "/motioner/"] == counts["localhost", "/motioner/"]
    assert counts[boras.host, "/"] == counts["localhost", "/"]


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module; each test runs in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO(), stderr=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("_demo_loaded")
def test_the_demo_s_decisions_show_until_when_they_can_be_appealed(db, client):
    """Every public decision in the demo with a posted notice says "Kan överklagas till och
    med", on its motion's page, and at least one shows an appeal in court."""
    decisions = Decision.objects.published().filter(motion__isnull=False).select_related("motion")
    with_notice, appealed = 0, 0
    for decision in decisions:
        address = urlsplit(decision.motion.get_url())
        block = fetch(client, address.path, address.netloc or "localhost")
        block = block[block.index(f'id="decision-{decision.pk}"') :]
        block = block[: block.index("</details>")]
        if decision.notice_posted_on:
            with_notice += 1
            assert "Kan överklagas till och med" in block, address.path
        appealed += 'class="appeal"' in block
    assert with_notice
    assert appealed, "no decision in the demo shows an appeal"
