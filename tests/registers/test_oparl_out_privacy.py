"""Only published records leave through OParl, in lists, on their own and inside other objects;
and every list page and object costs the same number of queries for 3 records as for 10."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motions.models import Outcome
from tests.factories import (
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    MeetingFactory,
    MotionFactory,
    ProposalFactory,
)
from tests.registers.oparl_out import BASE, build_record, document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _documents_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def everything(client, body) -> str:
    """Every list of the municipality, every page, as one text to search for a leak."""
    texts = []
    for name in (
        "organization",
        "person",
        "membership",
        "meeting",
        "paper",
        "agendaitem",
        "consultation",
        "file",
        "legislativeterm",
    ):
        url = f"{BASE}body/{body.pk}/{name}/"
        while url:
            page = client.get(url).json()
            texts.append(json.dumps(page, ensure_ascii=False))
            url = page["links"].get("next")
    return "\n".join(texts)


def test_a_draft_motion_never_appears(client, public_site):
    record = build_record(public_site.body)
    secret = document("hemlig-motion")
    draft = MotionFactory(
        body=public_site.body, publish=False, title="Hemlig motion om skolan", document=secret
    )
    text = everything(client, public_site.body)
    assert "Hemlig motion" not in text
    assert f"/paper/{draft.pk}/" not in text
    assert f"/file/{secret.pk}/" not in text
    assert client.get(f"{BASE}paper/{draft.pk}/").status_code == 404
    assert client.get(f"{BASE}file/{secret.pk}/").status_code == 404
    assert client.get(f"{BASE}paper/{record.motion.pk}/").status_code == 200


def test_an_unpublished_decision_never_appears(client, public_site):
    motion = MotionFactory(body=public_site.body, title="Motion om parker")
    meeting = MeetingFactory(organ__body=public_site.body)
    decision = DecisionFactory(
        motion=motion,
        meeting=meeting,
        decided_on=meeting.date,
        publish=False,
        title="Opublicerat beslut om parker",
        outcomes={1: Outcome.REJECTED, 2: Outcome.REJECTED},
    )
    text = everything(client, public_site.body)
    assert "Opublicerat beslut" not in text
    assert f"/agendaitem/{decision.pk}/" not in text
    assert f"/consultation/decision/{decision.pk}/" not in text
    assert client.get(f"{BASE}agendaitem/{decision.pk}/").status_code == 404
    assert client.get(f"{BASE}consultation/decision/{decision.pk}/").status_code == 404
    paper = client.get(f"{BASE}paper/{motion.pk}/").json()
    assert [c["outcome"] for c in paper["bs:clauses"]] == [None, None]
    assert paper["bs:result"] is None
    assert client.get(f"{BASE}meeting/{meeting.pk}/").json()["agendaItem"] == []


def test_a_draft_proposal_never_appears(client, public_site):
    motion = MotionFactory(body=public_site.body)
    proposal = ProposalFactory(motion=motion, publish=False)
    paper = client.get(f"{BASE}paper/{motion.pk}/").json()
    assert "underDirectionOf" not in paper
    assert [c["proposedOutcome"] for c in paper["bs:clauses"]] == [None, None]
    assert f"/consultation/proposal/{proposal.pk}/" not in everything(client, public_site.body)
    assert client.get(f"{BASE}consultation/proposal/{proposal.pk}/").status_code == 404


def test_a_draft_commitment_and_a_hidden_follow_up_never_appear(client, public_site):
    record = build_record(public_site.body)
    CommitmentFactory(decision=record.decision, publish=False, title="Hemligt åtagande")
    FollowUpFactory(commitment=record.commitment, publish=False, status="completed", progress=100)
    paper = client.get(f"{BASE}paper/{record.motion.pk}/").json()
    assert [c["title"] for c in paper["bs:commitments"]] == [record.commitment.title]
    assert paper["bs:commitments"][0]["status"] == "in_progress"  # the published follow-up's
    assert paper["bs:commitments"][0]["progress"] == 40
    assert "Hemligt åtagande" not in everything(client, public_site.body)


# --- a constant number of queries ---------------------------------------------------------------


def addresses(record) -> list[str]:
    body = record.body.pk
    # Two rows a page: at 3 records and at 10 alike, a page has a next and a last page to link.
    lists = [
        f"{BASE}body/{body}/{name}/?limit=2"
        for name in (
            "organization",
            "person",
            "membership",
            "meeting",
            "paper",
            "agendaitem",
            "consultation",
            "file",
            "legislativeterm",
        )
    ]
    return [
        BASE,
        f"{BASE}body/",
        *lists,
        f"{BASE}body/{body}/paper/?limit=2&modified_since=2000-01-01T00:00:00%2B01:00",
        f"{BASE}paper/{record.motion.pk}/",
        f"{BASE}meeting/{record.meeting.pk}/",
        f"{BASE}person/{record.person.pk}/",
        f"{BASE}agendaitem/{record.decision.pk}/",
        f"{BASE}organ/{record.council.pk}/",
        f"{BASE}file/{record.documents[2].pk}/",
    ]


# The most queries each address may run, whatever the number of records.
PINNED = {
    "system": 1,
    "body list": 3,
    "a list page": 13,  # a page of papers: counts, rows, the last page's key and 10 prefetches
    "an object": 10,  # a paper and its prefetches
}


def pin(url: str) -> int:
    if url == BASE:
        return PINNED["system"]
    if url.endswith("/body/"):
        return PINNED["body list"]
    return PINNED["a list page"] if "/body/" in url else PINNED["an object"]


def test_every_page_runs_the_same_queries_for_3_records_as_for_10(
    client, public_site, django_assert_max_num_queries
):
    records = [build_record(public_site.body, n) for n in range(3)]
    urls = addresses(records[0])
    client.get(BASE)  # the site map and index URLs are cached from the first request on
    few = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        few[url] = len(queries)
        assert few[url] <= pin(url), (url, few[url])
    for n in range(3, 10):  # pages of 2: more pages, more rows on each list
        build_record(public_site.body, n)
    for url in urls:
        with django_assert_max_num_queries(few[url]):
            assert client.get(url).status_code == 200
