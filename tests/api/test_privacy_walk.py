"""The privacy walk: an anonymous visitor goes through every channel this app serves and
finds no draft motion, no unpublished decision and no decision on a draft motion."""

import json
from datetime import date

import pytest

from motions.models import Motion
from tests.factories import DecisionFactory, MotionFactory, PartyFactory

pytestmark = pytest.mark.django_db

SECRET_MOTION = "kvastfening"
SECRET_DECISION = "blåbärssoppa"
SHARED = "zebraord"  # in every record, so each channel has something to show


@pytest.fixture
def record(public_site):
    body = public_site.body
    party = PartyFactory(body=body, slug="l")
    public = MotionFactory(
        body=body,
        party=party,
        title=f"Öppen motion om parker {SHARED}",
        clauses=["att parkerna sköts"],
    )
    draft = MotionFactory(
        body=body,
        party=party,
        publish=False,
        title=f"Utkast {SECRET_MOTION} {SHARED}",
        clauses=[f"att {SECRET_MOTION} utreds"],
    )
    Motion.objects.filter(pk__in=[public.pk, draft.pk]).update(deadline_on=date(2030, 1, 1))
    DecisionFactory(
        motion=public, title=f"Opublicerat beslut {SECRET_DECISION} {SHARED}", publish=False
    )
    # Published decision on a draft motion: its title would name the draft.
    DecisionFactory(motion=draft, title=f"Beslut om {SECRET_MOTION} {SHARED}")
    return public, draft


def contents(client, url):
    """The response as text; JSON is re-encoded so that å, ä, ö are not hidden as \\u escapes."""
    response = client.get(url)
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    text = raw.decode("utf-8")
    if response["Content-Type"].startswith("application/json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return response.status_code, text


def test_no_channel_shows_unpublished_records(client, record):
    public, draft = record
    meeting = public.decisions.first().meeting_id
    urls = [
        "/api/v1/motions",
        f"/api/v1/motions?q={SHARED}",
        f"/api/v1/motions/{public.pk}",
        "/flode/boras/motioner/",
        f"/flode/boras/motion/{public.slug}/",
        "/flode/boras/parti/l/",
        "/flode/boras/kalender.ics",
        "/export/boras/motioner.csv",
        "/export/boras/motioner.json",
        f"/sok/?q={SHARED}",
        "/sitemap-motioner.xml",
        f"/motioner/?q={SHARED}",
    ]
    for url in urls:
        status, text = contents(client, url)
        assert status == 200, url
        assert public.case_number in text or public.slug in text, url
        for secret in (SECRET_MOTION, SECRET_DECISION, draft.case_number, draft.slug):
            assert secret not in text, (url, secret)
    # No decision is public here: one is unpublished, the other answers a draft motion.
    for url in (
        "/api/v1/decisions",
        f"/api/v1/meetings/{meeting}",
        "/flode/boras/beslut/",
        f"/sok/?q={SHARED}&typ=beslut",
    ):
        status, text = contents(client, url)
        assert status == 200, url
        assert SECRET_MOTION not in text, url
        assert SECRET_DECISION not in text, url
    for url in (
        f"/api/v1/motions/{draft.pk}",
        f"/api/v1/decisions/{draft.decisions.first().pk}",
        f"/api/v1/decisions/{public.decisions.first().pk}",
        f"/flode/boras/motion/{draft.slug}/",
        f"/motioner/{draft.slug}/",
    ):
        assert client.get(url).status_code == 404, url


def test_exported_xlsx_has_only_the_published_motion(client, record):
    from io import BytesIO

    from openpyxl import load_workbook

    public, _draft = record
    response = client.get("/export/boras/motioner.xlsx")
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.values)
    assert [r[0] for r in rows[1:]] == [public.case_number]
