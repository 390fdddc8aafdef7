"""Atom feeds and the iCalendar of deadlines under /flode/<municipality>/."""

import re
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from cms.feeds.calendar import ical_line, ical_text
from motions import services
from motions.models import Motion
from tests.factories import (
    AreaFactory,
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    MotionFactory,
    OrganFactory,
    PartyFactory,
    ProposalFactory,
)
from tests.payloads import PAYLOADS, as_read_back

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    return [
        (e.findtext(f"{ATOM}title"), e.find(f"{ATOM}link").get("href"))
        for e in feed.iter(f"{ATOM}entry")
    ]


def test_new_motions_feed_lists_published_motions_with_links(client, public_site):
    motion = MotionFactory(body=public_site.body, title="Belysning i Hulta")
    [(title, link)] = entries(client.get("/flode/boras/motioner/"))
    assert title == f"{motion.case_number}: Belysning i Hulta"
    assert link == f"http://testserver/motioner/{motion.slug}/"


def test_decisions_feed(client, public_site):
    decision = DecisionFactory(motion=MotionFactory(body=public_site.body))
    [(title, link)] = entries(client.get("/flode/boras/beslut/"))
    assert decision.title in title
    assert link.endswith(f"/motioner/{decision.motion.slug}/")


def test_one_motion_feed_tells_its_story(client, public_site):
    motion = MotionFactory(body=public_site.body)
    ProposalFactory(motion=motion)
    DecisionFactory(motion=motion)
    titles = [t for t, _link in entries(client.get(f"/flode/boras/motion/{motion.slug}/"))]
    assert "§" in titles[0]  # newest first: the decision
    assert len(titles) == 3  # submitted, proposal, decision


def test_party_organ_and_area_feeds_filter_like_the_list(client, public_site):
    body = public_site.body
    party, area = PartyFactory(body=body, slug="mp"), AreaFactory(body=body, slug="hulta")
    ours = MotionFactory(body=body, party=party, areas=[area], title="Vår motion")
    MotionFactory(body=body, title="Någon annans motion")
    decision = DecisionFactory(motion=ours)
    assert [t for t, _ in entries(client.get("/flode/boras/parti/mp/"))] == [
        f"{ours.case_number}: Vår motion"
    ]
    assert [t for t, _ in entries(client.get("/flode/boras/omrade/hulta/"))] == [
        f"{ours.case_number}: Vår motion"
    ]
    organ = decision.meeting.organ
    assert [t for t, _ in entries(client.get(f"/flode/boras/organ/{organ.slug}/"))] == [
        f"{ours.case_number}: Vår motion"
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/flode/atlantis/motioner/",
        "/flode/boras/parti/ingen/",
        "/flode/boras/motion/ingen/",
        "/flode/x/kalender.ics",
    ],
)
def test_unknown_subjects_are_404(client, public_site, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("count", [2, 12])
def test_feed_queries_are_fixed(client, public_site, django_assert_max_num_queries, count):
    for _n in range(count):
        DecisionFactory(motion=MotionFactory(body=public_site.body))
    client.get("/flode/boras/motioner/")
    with django_assert_max_num_queries(3):
        assert len(entries(client.get("/flode/boras/motioner/"))) == count
    with django_assert_max_num_queries(2):
        assert len(entries(client.get("/flode/boras/beslut/"))) == count


def test_calendar_has_open_motions_deadlines(client, public_site):
    motion = MotionFactory(body=public_site.body, title="Trygghetsvandring, Norrby; kväll")
    Motion.objects.filter(pk=motion.pk).update(deadline_on=date(2025, 2, 1))
    decided = DecisionFactory(motion=MotionFactory(body=public_site.body)).motion
    Motion.objects.filter(pk=decided.pk).update(deadline_on=date(2025, 2, 1))
    response = client.get("/flode/boras/kalender.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    unfolded = body.replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20250201" in unfolded
    assert "Trygghetsvandring\\, Norrby\\; kväll" in unfolded
    assert f"UID:motion-{motion.pk}-deadline@testserver" in unfolded
    assert f"motion-{decided.pk}-deadline" not in unfolded  # decided: no longer due
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_ical_folding_keeps_utf8_characters_and_escape_pairs_whole():
    line = "SUMMARY:" + "åäö" * 40
    folded = ical_line(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "").rstrip("\r\n") == line
    assert ical_text("a,b;c\\d\ne\r\nf\rg\x0bh") == "a\\,b\\;c\\\\d\\ne\\nf\\ngh"
    straddling = ical_line("SUMMARY:" + "x" * 66 + ical_text(","))  # 74 octets, then "\,"
    assert straddling.split("\r\n")[1] == " \\,"  # the pair is folded whole


def ical_events(calendar: bytes) -> dict[str, dict[str, str]]:
    """Each event's properties by UID, unfolded and with their raw (escaped) values."""
    events, event = {}, {}
    for line in calendar.decode().replace("\r\n ", "").split("\r\n"):
        name, _colon, value = line.partition(":")
        event[name] = value
        if line == "END:VEVENT":
            events[event["UID"]] = event
            event = {}
    return events


def ical_unescape(value: str) -> str:
    assert not re.search(r"[;,\\]", re.sub(r"\\.", "", value)), value  # none left bare
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] in "nN" else m[1], value)


def test_calendar_text_is_escaped_folded_and_reads_back_as_written(client, public_site):
    """RFC 5545: CRLF line endings, lines of at most 75 octets that each hold whole UTF-8
    characters and whole escape pairs, and text that unfolds and unescapes to the original."""
    motions = [MotionFactory(body=public_site.body, title=title) for title in PAYLOADS]
    control = MotionFactory(body=public_site.body, title="Rad ett\x0bRad två\x7f")
    Motion.objects.update(deadline_on=date(2025, 2, 1))
    calendar = b"".join(client.get("/flode/boras/kalender.ics").streaming_content)
    lines = calendar.split(b"\r\n")
    assert lines.pop() == b""  # the last line ends in CRLF too
    for line in lines:
        assert b"\r" not in line
        assert b"\n" not in line
        assert len(line) <= 75
        assert not re.sub(r"\\.", "", line.decode()).endswith("\\")  # decodes on its own
    events = ical_events(calendar)

    def summary(motion):
        return ical_unescape(events[f"motion-{motion.pk}-deadline@testserver"]["SUMMARY"])

    for motion in motions:
        assert summary(motion).endswith(f"{motion.case_number} {as_read_back(motion.title)}")
    assert summary(control).endswith(f"{control.case_number} Rad ettRad två")


def test_atom_summaries_are_text_shown_as_written(client, public_site):
    """Every Atom feed types its summaries "text", so a reader shows markup as written."""
    body = public_site.body
    party, area = PartyFactory(body=body, slug="mp"), AreaFactory(body=body, slug="hulta")
    motion = MotionFactory(
        body=body,
        party=party,
        areas=[area],
        text="<p>Hus &amp; hem</p><p>&lt;b&gt;Nästa</p>",
    )
    for payload in PAYLOADS:
        referral = services.motion_refer(
            motion=motion, organ=OrganFactory(body=body), sent_on=date(2024, 3, 1)
        )
        services.referral_register_response(
            referral=referral, answered_on=date(2024, 4, 1), summary=payload
        )
    decision = DecisionFactory(motion=motion)
    commitment = CommitmentFactory(decision=decision, slug="mal")
    FollowUpFactory(commitment=commitment, narrative="<img src=x onerror=alert(1)>")
    feeds = {
        url: ElementTree.fromstring(client.get(url).content).iter(f"{ATOM}summary")
        for url in [
            "/flode/boras/motioner/",
            "/flode/boras/beslut/",
            f"/flode/boras/motion/{motion.slug}/",
            "/flode/boras/parti/mp/",
            f"/flode/boras/organ/{decision.meeting.organ.slug}/",
            "/flode/boras/omrade/hulta/",
            "/flode/boras/uppfoljningar/",
            "/flode/boras/atagande/mal/",
        ]
    }
    summaries = {
        url: [(s.get("type"), s.text or "") for s in found] for url, found in feeds.items()
    }
    for url, found in summaries.items():
        assert found, url
        assert {kind for kind, _text in found} == {"text"}, url
    story = {text for _kind, text in summaries[f"/flode/boras/motion/{motion.slug}/"]}
    assert {as_read_back(payload) for payload in PAYLOADS} <= story
    [(_kind, news)] = summaries["/flode/boras/motioner/"]
    assert news.endswith("Hus & hem <b>Nästa")  # rich text as the words it shows
    assert summaries["/flode/boras/uppfoljningar/"] == [("text", "<img src=x onerror=alert(1)>")]


def test_control_characters_in_a_title_do_not_break_a_feed(client, public_site):
    """XML cannot hold \x0b, Word's line break: the feed drops it instead of failing."""
    motion = MotionFactory(body=public_site.body)
    Motion.objects.filter(pk=motion.pk).update(title="Rad ett\x0bRad två")
    [(title, _link)] = entries(client.get("/flode/boras/motioner/"))
    assert title == f"{motion.case_number}: Rad ettRad två"


def test_newly_published_motion_appears_in_feed(client, public_site):
    draft = MotionFactory(body=public_site.body, publish=False)
    assert entries(client.get("/flode/boras/motioner/")) == []
    services.motion_publish(motion=draft)
    assert len(entries(client.get("/flode/boras/motioner/"))) == 1
    assert timezone.now() - Motion.objects.get(pk=draft.pk).first_published_at < timedelta(
        minutes=1
    )
