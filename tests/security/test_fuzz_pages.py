"""Hypothesis against every parameter of the public pages: the motion list and the lists of one
party, the follow-up tracker, search, the feeds and the exports. Any text, any digits, any
number, a parameter given twice: never a response >= 500, and the values an attacker tried
(a NUL byte, "²", "٢٠٢٤", 2**31, -1, 201 characters) are a form error or a 400.

Each test reads, never writes, so its examples share one transaction and one small site.
The NUL-byte middleware is taken out, so that the parameters themselves are what is tested;
the middleware has a test of its own at the end."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.models import FollowUpIndexPage
from motions.filters import MotionFilter
from plans.filters import CommitmentFilter
from tests.factories import (
    AreaFactory,
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    MotionFactory,
    PartyFactory,
    PersonFactory,
    TopicFactory,
)

NUL_MIDDLEWARE = "cms.middleware.RefuseNulBytesMiddleware"

# Deterministic (the same cases on every run and machine) and a budget that keeps the module
# under a minute on SQLite and PostgreSQL.
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=100,
    # One site per test, shared by its examples: they only read.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=220)  # RTL, emoji, ...
NUMBERS = st.integers(min_value=-(2**70), max_value=2**70).map(str)
NUL = st.tuples(TEXT, TEXT).map(lambda t: f"{t[0]}\x00{t[1]}")
TOO_LONG = st.text(st.characters(codec="ascii", categories=["L"]), min_size=201, max_size=400)
# Digits other than 0-9, which str.isdigit() or int() accept: "²", "٢٠٢٤", "௫"
ODD_DIGITS = st.text(
    st.characters(categories=["Nd", "No"], exclude_characters="0123456789"), min_size=1, max_size=8
)


ODD = st.one_of(TEXT, NUL, TOO_LONG, NUMBERS, ODD_DIGITS)


def value(known=()):
    """Anything a query string can carry, and now and then a value the page knows."""
    return st.one_of(st.sampled_from(known), ODD) if known else ODD


def known_values(filterset) -> dict[str, list[str]]:
    """Each filter's valid values: its choices, or the slugs its rows have."""
    known = {}
    for name, field in filterset.form.fields.items():
        if hasattr(field, "queryset"):
            slugs = field.queryset.values_list(field.to_field_name, flat=True)
            known[name] = sorted(set(slugs))
        else:
            known[name] = [str(v) for v, _label in getattr(field, "choices", []) if v != ""]
    return known


def query(data, known: dict[str, list[str]]) -> str:
    """A query string of up to five parameters from `known`, repeats allowed."""
    names = sorted(known)
    pairs = data.draw(
        st.lists(
            st.sampled_from(names).flatmap(lambda n: st.tuples(st.just(n), value(known[n]))),
            max_size=5,
        )
    )
    return urlencode(pairs)


def read(client, url):
    """The response, with a streamed body read to its end: a feed or an export can only fail
    while it streams."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def read_list(client, url):
    """A list or search answers like `read`; empty parameters first redirect, once, to the
    address without them, which must then answer without another redirect."""
    response = read(client, url)
    if response.status_code == 302:
        response = read(client, response["Location"])
        assert response.status_code != 302, "the address without empty parameters redirects again"
    return response


@dataclass
class Site:
    body: object
    motions_url: str
    tracker_url: str


@pytest.fixture
def site(public_site, settings) -> Site:
    """A municipality with the motion list and the tracker, a motion with a decision, a
    commitment and its follow-up, and the party, member, area and topic they name."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != NUL_MIDDLEWARE]
    body = public_site.body
    tracker = public_site.home.add_child(
        instance=FollowUpIndexPage(title="Uppföljning", slug="uppfoljning", body=body)
    )
    party = PartyFactory(body=body, slug="m")
    person = PersonFactory(body=body, slug="anna-christensen")
    motion = MotionFactory(body=body, submitters=[{"person": person, "party": party}])
    motion.areas.add(AreaFactory(body=body, slug="norrby"))
    motion.topics.add(TopicFactory(slug="trygghet"))
    FollowUpFactory(commitment=CommitmentFactory(decision=DecisionFactory(motion=motion)))
    cache.clear()  # the index pages' addresses
    return Site(body, public_site.motions_url, tracker.url)


def motion_params(site):
    return known_values(MotionFilter(queryset=None, body=site.body)) | {"page": ["1", "2"]}


def tracker_params(site):
    return known_values(CommitmentFilter(queryset=None, body=site.body)) | {"page": ["1", "2"]}


# --- anything: never a server error --------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_motion_list_and_party_page_never_fail(client, site, data):
    known = motion_params(site)
    path = data.draw(st.sampled_from([site.motions_url, f"{site.motions_url}parti/m/"]))
    response = read_list(client, f"{path}?{query(data, known)}")
    # 200 (a bad filter is a form error on the page), 400 (a page number that is not one),
    # 404 (a page past the last)
    assert response.status_code in (200, 400, 404)


@FUZZ
@given(data=st.data())
def test_tracker_never_fails(client, site, data):
    response = read_list(client, f"{site.tracker_url}?{query(data, tracker_params(site))}")
    assert response.status_code in (200, 400, 404)


@FUZZ
@given(year=NUMBERS)
def test_target_year_pages_never_fail(client, site, year):
    response = read(client, f"{site.tracker_url}malar/{year}/")
    assert response.status_code in (200, 404)


@FUZZ
@given(data=st.data())
def test_search_never_fails(client, site, data):
    known = {"q": ["motion", "utreder fråga"], "typ": ["motioner", "beslut"], "sida": ["1", "2"]}
    response = read_list(client, f"/sok/?{query(data, known)}")
    assert response.status_code in (200, 400, 404)


SLUG = st.one_of(
    st.sampled_from(["boras", "m", "norrby"]), st.from_regex(r"[-\w]{1,90}", fullmatch=True)
).map(quote)
FEEDS = ["motioner/", "beslut/", "uppfoljningar/", "kalender.ics"]
FILTERED_FEEDS = ["parti", "organ", "omrade", "motion", "atagande"]


@FUZZ
@given(data=st.data())
def test_feeds_never_fail(client, site, data):
    body = data.draw(SLUG)
    path = data.draw(
        st.one_of(
            st.sampled_from(FEEDS),
            st.tuples(st.sampled_from(FILTERED_FEEDS), SLUG).map(lambda p: f"{p[0]}/{p[1]}/"),
        )
    )
    response = read(client, f"/flode/{body}/{path}?{query(data, {'q': [], 'page': []})}")
    assert response.status_code in (200, 404)


@FUZZ
@given(data=st.data())
def test_exports_never_fail(client, site, data):
    name, known = data.draw(
        st.sampled_from([("motioner", motion_params(site)), ("ataganden", tracker_params(site))])
    )
    fmt = data.draw(st.one_of(st.sampled_from(["csv", "json", "xlsx"]), TEXT.map(quote)))
    response = read(client, f"/export/boras/{name}.{fmt}?{query(data, known)}")
    assert response.status_code in (200, 400, 404)


# --- the attacker's values: a form error or a 400 ------------------------------------------

OUT_OF_RANGE = st.one_of(
    st.integers(min_value=2**31, max_value=2**80), st.integers(max_value=-1)
).map(str)
# Refused by every parameter; a whole number also refuses digits outside 0-9 and its range.
ANY_PARAMETER = st.one_of(NUL, TOO_LONG)
NUMBER_PARAMETER = st.one_of(NUL, TOO_LONG, ODD_DIGITS, OUT_OF_RANGE)
NUMBERS_OF = {"year", "target_year", "page", "sida"}


def bad_value(name):
    return NUMBER_PARAMETER if name in NUMBERS_OF else ANY_PARAMETER


def assert_refused(response, name):
    """A filter's bad value is a form error beside its field on the page it filters; any other
    parameter (a page number, the search's) makes the request a 400 with the page's message."""
    if name == "page" or response.context is None or "filter" not in response.context:
        assert response.status_code == 400
    else:
        assert response.status_code == 200
        assert name in response.context["filter"].errors


@FUZZ
@given(data=st.data())
def test_bad_values_are_refused_on_lists_search_and_exports(client, site, data):
    pages = {
        site.motions_url: motion_params(site),
        site.tracker_url: tracker_params(site),
        "/sok/": {"q": [], "typ": [], "sida": []},
        "/export/boras/motioner.csv": known_values(MotionFilter(queryset=None, body=site.body)),
        "/export/boras/ataganden.json": known_values(
            CommitmentFilter(queryset=None, body=site.body)
        ),
    }
    path = data.draw(st.sampled_from(sorted(pages)))
    name = data.draw(st.sampled_from(sorted(pages[path])))
    response = read(client, f"{path}?{urlencode({name: data.draw(bad_value(name))})}")
    assert_refused(response, name)


@FUZZ
@given(data=st.data())
def test_a_parameter_given_twice_is_refused(client, site, data):
    pages = {site.motions_url: motion_params(site), site.tracker_url: tracker_params(site)}
    path = data.draw(st.sampled_from(sorted(pages)))
    known = {name: values for name, values in pages[path].items() if values}
    name = data.draw(st.sampled_from(sorted(known)))
    first, second = data.draw(st.lists(st.sampled_from(known[name]), min_size=2, max_size=2))
    response = read(client, f"{path}?{urlencode([(name, first), (name, second)])}")
    assert_refused(response, name)


@pytest.mark.parametrize(
    ("path", "name", "bad"),
    [
        ("/sok/", "q", "park\x00"),
        ("/sok/", "sida", "²"),
        ("/sok/", "sida", "٢"),
        ("MOTIONS", "year", "²"),
        ("MOTIONS", "year", "٢٠٢٤"),
        ("MOTIONS", "year", "2147483648"),
        ("MOTIONS", "page", "-1"),
        ("MOTIONS", "page", "2147483648"),
        ("MOTIONS", "party", "m\x00"),
        ("MOTIONS", "q", "x" * 201),
        ("TRACKER", "target_year", "2147483648"),
        ("TRACKER", "target_year", "1e30"),
        ("/export/boras/motioner.csv", "year", "²"),
        ("/export/boras/motioner.csv", "topic", "\x00"),
    ],
)
def test_what_the_attacker_sent_is_refused(client, site, path, name, bad):
    path = {"MOTIONS": site.motions_url, "TRACKER": site.tracker_url}.get(path, path)
    response = read(client, f"{path}?{urlencode({name: bad})}")
    assert_refused(response, name)


def the_400_page(response) -> bool:
    with translation.override("sv"):
        return gettext("The address cannot be used") in response.content.decode()


def test_a_bad_page_number_shows_the_400_page(client, site):
    response = client.get(site.motions_url, {"page": "-1"})
    assert response.status_code == 400
    assert the_400_page(response)


def test_a_nul_byte_anywhere_is_refused_before_any_view(client, site, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, NUL_MIDDLEWARE]
    for response in (
        client.get("/", {"anything": "a\x00b"}),
        client.get(f"{site.motions_url}?a%00b=1"),
        client.post("/folj/", {"email": "anna@example.org", "target": "motion:1\x00"}),
    ):
        assert response.status_code == 400
        assert the_400_page(response)


def test_a_nul_byte_sent_to_the_api_is_a_json_400_naming_the_parameter(client, site, settings):
    """Even in a parameter the API does not know, which it would otherwise ignore."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, NUL_MIDDLEWARE]
    response = client.get("/api/v1/motions", {"anything": "a\x00b"})
    assert response.status_code == 400
    assert "anything" in response.json()["detail"]
