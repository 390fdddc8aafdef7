"""The open data API at /api/v1/: resources, links, filters, keyset pages and JSON errors."""

from datetime import date, timedelta

import pytest

from motions.models import MotionKind, Outcome
from tests.factories import (
    AreaFactory,
    DecisionFactory,
    MotionFactory,
    PartyFactory,
    PersonFactory,
    ProposalFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def motions(body, count, **kwargs):
    start = date(2023, 1, 1)
    return [
        MotionFactory(body=body, submitted_on=start + timedelta(days=n), **kwargs)
        for n in range(count)
    ]


def test_motion_list_links_to_detail_and_body(client, public_site):
    motion = MotionFactory(body=public_site.body, title="Fler parkbänkar i Norrby")
    response = client.get("/api/v1/motions")
    assert response.status_code == 200
    [row] = response.json()["data"]
    assert row["name"] == "Fler parkbänkar i Norrby"
    assert row["reference"] == motion.case_number
    assert row["url"] == f"http://testserver/api/v1/motions/{motion.pk}"
    assert row["web"] == f"http://testserver/motioner/{motion.slug}/"
    assert row["body"]["url"] == f"http://testserver/api/v1/bodies/{public_site.body.pk}"
    assert row["creators"][0]["on_behalf_of"]["url"].startswith("http://testserver/api/v1/parties/")
    assert client.get(row["body"]["url"]).json()["name"] == "Borås Stad"


def test_motion_detail_has_clauses_proposals_decisions_and_votes(client, public_site):
    motion = MotionFactory(body=public_site.body, clauses=["att utreda", "att återrapportera"])
    ProposalFactory(motion=motion, outcomes={1: Outcome.APPROVED, 2: Outcome.ANSWERED})
    DecisionFactory(motion=motion, outcomes={1: Outcome.APPROVED, 2: Outcome.REJECTED})
    data = client.get(f"/api/v1/motions/{motion.pk}").json()
    assert [c["text"] for c in data["clauses"]] == ["att utreda", "att återrapportera"]
    assert data["proposals"][0]["clause_outcomes"] == [
        {"clause": 1, "outcome": "approved"},
        {"clause": 2, "outcome": "answered"},
    ]
    [decision] = data["decisions"]
    assert decision["clause_outcomes"][1] == {"clause": 2, "outcome": "rejected"}
    assert data["result"] == "partly_approved"
    detail = client.get(decision["url"]).json()
    assert detail["motion"]["id"] == motion.pk
    assert detail["meeting"]["url"].startswith("http://testserver/api/v1/meetings/")


def test_organisation_resources_are_linked(client, public_site):
    motion = MotionFactory(body=public_site.body)
    decision = DecisionFactory(motion=motion)
    organs = client.get(f"/api/v1/organs?body={public_site.body.slug}").json()["data"]
    assert decision.meeting.organ.name in [o["name"] for o in organs]
    meeting = client.get(f"/api/v1/meetings/{decision.meeting_id}").json()
    assert [d["name"] for d in meeting["decisions"]] == [decision.title]
    people = client.get("/api/v1/people").json()["data"]
    assert motion.submitters.first().person.name in [p["name"] for p in people]
    parties = client.get("/api/v1/parties").json()["data"]
    assert parties[0]["classification"] == "party"


def test_filters_are_the_motion_list_filters(client, public_site):
    body = public_site.body
    party, other = PartyFactory(body=body, slug="m"), PartyFactory(body=body, slug="s")
    topic, area = TopicFactory(slug="trygghet"), AreaFactory(body=body, slug="norrby")
    wanted = MotionFactory(
        body=body, party=party, kind=MotionKind.CITIZEN_PROPOSAL, topics=[topic], areas=[area]
    )
    MotionFactory(body=body, party=other)
    for query in (
        "party=m",
        "kind=citizen_proposal",
        "topic=trygghet",
        "area=norrby",
        f"q={wanted.case_number}",
    ):
        data = client.get(f"/api/v1/motions?{query}").json()["data"]
        assert [m["id"] for m in data] == [wanted.pk], query


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=nineteen", "year"),
        ("status=floating", "status"),
        ("party=no-such-party", "party"),
        ("submitted_after=2024-13-45", "submitted_after"),
        ("limit=100000", "limit"),
        ("limit=0", "limit"),
        ("limit=ten", "limit"),
        ("cursor=not-a-cursor", "cursor"),
        ("body=atlantis", "body"),
    ],
)
def test_bad_values_are_a_400_with_a_message(client, public_site, query, message):
    response = client.get(f"/api/v1/motions?{query}")
    assert response.status_code == 400
    assert message in response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/motions/999999",
        "/api/v1/nothing-here",
        "/api/v1/decisions/0",
        "/api/v1/motions/abc",
    ],
)
def test_unknown_resource_or_id_is_a_json_404(client, public_site, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_cursor_pages_walk_every_motion_once(client, public_site):
    created = motions(public_site.body, 7)
    seen, url = [], "/api/v1/motions?limit=3"
    while url:
        page = client.get(url).json()
        assert page["pagination"]["limit"] == 3
        seen += [m["id"] for m in page["data"]]
        url = page["links"]["next"]
    assert seen == [m.pk for m in reversed(created)]


def test_next_link_keeps_the_filters(client, public_site):
    party = PartyFactory(body=public_site.body, slug="c")
    motions(public_site.body, 3, party=party)
    motions(public_site.body, 3)
    first = client.get("/api/v1/motions?party=c&limit=2").json()
    assert "party=c" in first["links"]["next"]
    second = client.get(first["links"]["next"]).json()
    assert len(second["data"]) == 1
    assert second["links"]["next"] is None


def test_deep_page_costs_the_same_queries_as_page_one(
    client, public_site, django_assert_num_queries
):
    motions(public_site.body, 30)
    client.get("/api/v1/motions?limit=2")  # warm the cached index-page URLs
    with django_assert_num_queries(2) as first:
        page = client.get("/api/v1/motions?limit=2").json()
    cursor_url = page["links"]["next"]
    for _ in range(10):
        cursor_url = client.get(cursor_url).json()["links"]["next"]
    with django_assert_num_queries(2) as deep:
        client.get(cursor_url)
    assert len(first.captured_queries) == len(deep.captured_queries)


@pytest.mark.parametrize("count", [2, 12])
def test_list_and_detail_queries_are_fixed(
    client, public_site, django_assert_max_num_queries, count
):
    created = motions(public_site.body, count)
    for motion in created[:2]:
        ProposalFactory(motion=motion)
        DecisionFactory(motion=motion)
    client.get("/api/v1/motions")
    with django_assert_max_num_queries(2):
        assert len(client.get("/api/v1/motions?limit=100").json()["data"]) == count
    party = created[0].submitters.first().party.slug
    with django_assert_max_num_queries(3):  # + the party named in the filter
        assert len(client.get(f"/api/v1/motions?limit=100&party={party}").json()["data"]) == 1
    with django_assert_max_num_queries(2):
        assert len(client.get("/api/v1/decisions").json()["data"]) == 2
    with django_assert_max_num_queries(16):  # the motion and one query per prefetched relation
        client.get(f"/api/v1/motions/{created[0].pk}")
    with django_assert_max_num_queries(2):
        client.get("/api/v1/people")


def test_openapi_schema_and_docs_are_published(client, public_site):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    params = {p["name"] for p in schema["paths"]["/api/v1/motions"]["get"]["parameters"]}
    assert {"party", "organ", "topic", "area", "deadline", "q", "cursor", "limit"} <= params
    assert "/api/v1/decisions/{decision_id}" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_resident_contact_details_never_leave_the_admin(client, public_site):
    motion = MotionFactory(
        body=public_site.body,
        kind=MotionKind.CITIZEN_PROPOSAL,
        submitters=[
            {
                "resident_name": "Sara Boende",
                "resident_email": "sara@example.org",
                "resident_phone": "0701234567",
            }
        ],
    )
    content = client.get(f"/api/v1/motions/{motion.pk}").content.decode()
    assert "Sara Boende" in content
    assert "sara@example.org" not in content
    assert "0701234567" not in content


def test_person_memberships_use_popolo_names(client, public_site):
    person = PersonFactory(body=public_site.body)
    data = client.get(f"/api/v1/people/{person.pk}").json()
    assert data["name"] == person.name
    assert data["memberships"] == []
