"""Follow-up in the open data channels: commitments, action plans, indicators and follow-ups
in the API, exports, feeds, calendar and search, published ones only."""

import csv
import io
import json
from datetime import date

import pytest

from cms.models import FollowUpIndexPage
from plans import services as plan_services
from tests.factories import (
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    IndicatorFactory,
    MotionFactory,
)

pytestmark = pytest.mark.django_db


def body_of(response):
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    text = raw.decode("utf-8-sig")
    if response["Content-Type"].startswith("application/json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return text


@pytest.fixture
def commitment(public_site):
    decision = DecisionFactory(motion=MotionFactory(body=public_site.body))
    indicator = IndicatorFactory(body=public_site.body, title="Från bidrag till lön")
    plan_services.measurement_add(indicator=indicator, year=2020, value=80, unit="MSEK")
    commitment = CommitmentFactory(
        decision=decision,
        title="Inga särskilt utsatta områden 2030",
        indicators=[indicator],
        target_year=2030,
    )
    FollowUpFactory(commitment=commitment, narrative="Trygghetsvandringar genomförda.")
    return commitment


def test_commitment_list_and_detail(client, commitment):
    [row] = client.get("/api/v1/commitments").json()["data"]
    assert row["name"] == "Inga särskilt utsatta områden 2030"
    assert row["decision"]["url"].endswith(f"/api/v1/decisions/{commitment.decision_id}")
    detail = client.get(row["url"]).json()
    [indicator] = detail["indicators"]
    assert indicator["baseline"]["year"] == 2014
    assert indicator["target"]["year"] == 2030
    assert [m["year"] for m in indicator["measurements"]] == [2020]
    assert detail["followups"][0]["narrative"] == "Trygghetsvandringar genomförda."
    assert client.get("/api/v1/indicators").json()["data"][0]["name"] == "Från bidrag till lön"
    assert client.get("/api/v1/followups").json()["data"][0]["commitment"]["id"] == commitment.pk


def test_commitment_filters_are_the_trackers(client, commitment):
    assert len(client.get("/api/v1/commitments?target_year=2030").json()["data"]) == 1
    assert client.get("/api/v1/commitments?target_year=2031").json()["data"] == []
    bad = client.get("/api/v1/commitments?status=finished-maybe")
    assert bad.status_code == 400
    assert "status" in bad.json()["detail"]


def test_draft_commitment_and_draft_followup_are_invisible(client, commitment, public_site):
    draft = CommitmentFactory(
        decision=commitment.decision, title="Hemligt åtagande gnuvaktare", slug="gnu", publish=False
    )
    FollowUpFactory(
        commitment=commitment, narrative="Opublicerad uppföljning myrslok", publish=False
    )
    urls = [
        "/api/v1/commitments",
        f"/api/v1/commitments/{commitment.pk}",
        "/api/v1/followups",
        "/flode/boras/uppfoljningar/",
        f"/flode/boras/atagande/{commitment.slug}/",
        "/flode/boras/kalender.ics",
        "/export/boras/ataganden.csv",
        "/export/boras/ataganden.json",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = body_of(response)
        assert commitment.title in text, url
        assert "gnuvaktare" not in text, url
        assert "myrslok" not in text, url
    for word in ("gnuvaktare", "myrslok"):
        response = client.get(
            "/sok/", {"q": word}
        )  # the page repeats the query, so look at the hits
        assert all(group.count == 0 for group in response.context["groups"]), word
        assert 'class="search-result"' not in response.content.decode()
    public_site.home.add_child(  # commitments get public addresses, and a sitemap section
        instance=FollowUpIndexPage(title="Uppföljning", slug="uppfoljning", body=public_site.body)
    )
    sitemap = body_of(client.get("/sitemap-ataganden.xml"))
    assert f"/{commitment.slug}/</loc>" in sitemap
    assert f"/{draft.slug}/</loc>" not in sitemap
    assert client.get(f"/api/v1/commitments/{draft.pk}").status_code == 404
    assert client.get(f"/flode/boras/atagande/{draft.slug}/").status_code == 404


def test_commitment_on_an_unpublished_decision_is_invisible(client, public_site):
    decision = DecisionFactory(motion=MotionFactory(body=public_site.body), publish=False)
    CommitmentFactory(decision=decision, title="Åtagande utan publicerat beslut")
    assert client.get("/api/v1/commitments").json()["data"] == []


def test_exports_feeds_calendar_and_search(client, commitment):
    rows = list(
        csv.reader(io.StringIO(body_of(client.get("/export/boras/ataganden.csv"))), delimiter=";")
    )
    assert rows[1][0] == "Inga särskilt utsatta områden 2030"
    assert rows[1][2] == "2030"
    feed = body_of(client.get("/flode/boras/uppfoljningar/"))
    assert "Inga särskilt utsatta områden 2030" in feed
    calendar = body_of(client.get("/flode/boras/kalender.ics")).replace("\r\n ", "")
    assert f"UID:commitment-{commitment.pk}-target@testserver" in calendar
    assert "DTSTART;VALUE=DATE:20301231" in calendar
    html = client.get("/sok/", {"q": "utsatta"}).content.decode()
    assert 'id="group-ataganden"' in html
    assert "<mark>utsatta</mark>" in html


@pytest.mark.parametrize("count", [1, 6])
def test_plan_lists_have_fixed_queries(client, public_site, django_assert_max_num_queries, count):
    decision = DecisionFactory(motion=MotionFactory(body=public_site.body))
    for n in range(count):
        c = CommitmentFactory(decision=decision, target_year=2030 + n)
        FollowUpFactory(commitment=c, period_end=date(2025, 12, 31))
    client.get("/api/v1/commitments")
    with django_assert_max_num_queries(1):
        assert len(client.get("/api/v1/commitments").json()["data"]) == count
    with django_assert_max_num_queries(2):
        assert len(client.get("/api/v1/followups").json()["data"]) == count
    with django_assert_max_num_queries(8):
        client.get(f"/api/v1/commitments/{c.pk}")
