"""The leak matrix: for each hidden state and each public channel, an anonymous visitor and a
subscriber's inbox see nothing of the hidden record. Each state writes a unique marker word
into every text of its hidden records; each channel's response is searched for it."""

import json
import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.core.cache import cache
from openpyxl import load_workbook

from cms.models import FollowUpIndexPage
from motions.models import Motion
from plans import services as plan_services
from subscriptions import services as subscription_services
from subscriptions.models import Notification
from tests.factories import (
    AreaFactory,
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    MeetingFactory,
    MotionFactory,
    OrganFactory,
    PartyFactory,
)

pytestmark = pytest.mark.django_db

SHARED = "zzdelad"  # in every record, public or not, so searches have something to find


@pytest.fixture
def world(public_site):
    """A public motion, decision and commitment around shared party, organ and area, with a
    tracker page: every channel has something public to show next to the hidden record."""
    cache.clear()
    public_site.home.add_child(
        instance=FollowUpIndexPage(title="Uppföljning", slug="uppfoljning", body=public_site.body)
    )
    cache.clear()
    body = public_site.body
    party = PartyFactory(body=body, slug="m")
    organ = OrganFactory(body=body, executive=True, slug="ks")
    area = AreaFactory(body=body, slug="norrby")
    council = OrganFactory(body=body, slug="kf")
    motion = MotionFactory(body=body, party=party, title=f"Öppen motion {SHARED}")
    motion.areas.add(area)
    decision = DecisionFactory(
        motion=motion, title=f"Öppet beslut {SHARED}", meeting=MeetingFactory(organ=council)
    )
    CommitmentFactory(
        decision=decision, responsible_organ=organ, title=f"Öppet åtagande {SHARED}", slug="oppet"
    )
    # An undecided public motion for the states that hide a decision on a public motion.
    spare = MotionFactory(body=body, party=party, title=f"Ännu en {SHARED}")
    return {
        "body": body,
        "party": party,
        "organ": organ,
        "area": area,
        "motion": motion,
        "spare": spare,
        "council": council,
    }


def _motion(world, marker, **kwargs):
    motion = MotionFactory(
        body=world["body"],
        party=world["party"],
        title=f"Motion {marker} {SHARED}",
        clauses=[f"att {marker} utreds"],
        **kwargs,
    )
    motion.areas.add(world["area"])
    Motion.objects.filter(pk=motion.pk).update(deadline_on=date(2030, 1, 1))
    return motion


def _commitment_chain(world, marker, decision):
    commitment = CommitmentFactory(
        decision=decision,
        responsible_organ=world["organ"],
        title=f"Åtagande {marker} {SHARED}",
        description=f"Beskrivning {marker}",
        slug=f"atagande-{marker}",
        target_year=2031,
    )
    commitment.areas.add(world["area"])
    FollowUpFactory(commitment=commitment, narrative=f"Uppföljning {marker} {SHARED}")
    return commitment


def state_draft_motion(world, marker):
    _motion(world, marker, publish=False)


def state_decision_on_draft_motion(world, marker):
    draft = _motion(world, marker, publish=False)
    DecisionFactory(
        motion=draft,
        title=f"Beslut {marker} {SHARED}",
        meeting=MeetingFactory(organ=world["council"]),
    )


def state_commitment_on_unpublished_decision(world, marker):
    decision = DecisionFactory(
        motion=world["spare"],
        title=f"Beslut {marker} {SHARED}",
        publish=False,
        meeting=MeetingFactory(organ=world["council"]),
    )
    _commitment_chain(world, marker, decision)


def state_plan_on_draft_decision(world, marker):
    decision = DecisionFactory(
        motion=world["spare"],
        title=f"Beslut {marker} {SHARED}",
        publish=False,
        meeting=MeetingFactory(organ=world["council"]),
    )
    plan = plan_services.action_plan_create(
        body=world["body"],
        title=f"Plan {marker} {SHARED}",
        decision=decision,
        responsible_organ=world["organ"],
        period_start=date(2025, 1, 1),
        period_end=date(2028, 12, 31),
        target_year=2028,
        actions=[{"title": f"Åtgärd {marker}", "owner": world["organ"]}],
        slug=f"plan-{marker}",
        publish=True,
    )
    FollowUpFactory(
        commitment=None, action=plan.actions.first(), narrative=f"Uppföljning {marker} {SHARED}"
    )


def state_published_then_unpublished(world, marker):
    motion = _motion(world, marker)
    decision = DecisionFactory(
        motion=motion,
        title=f"Beslut {marker} {SHARED}",
        meeting=MeetingFactory(organ=world["council"]),
    )
    _commitment_chain(world, marker, decision)
    Motion.objects.get(pk=motion.pk).unpublish()


def state_expired(world, marker):
    motion = _motion(world, marker)
    decision = DecisionFactory(
        motion=motion,
        title=f"Beslut {marker} {SHARED}",
        meeting=MeetingFactory(organ=world["council"]),
    )
    _commitment_chain(world, marker, decision)
    Motion.objects.filter(pk=motion.pk).update(expired=True)


STATES = {
    "draft_motion": state_draft_motion,
    "decision_on_draft_motion": state_decision_on_draft_motion,
    "commitment_on_unpublished_decision": state_commitment_on_unpublished_decision,
    "plan_on_draft_decision": state_plan_on_draft_decision,
    "published_then_unpublished": state_published_then_unpublished,
    "expired": state_expired,
}

CHANNELS = {
    "home": "/",
    "motion list": "/motioner/",
    "motion list filtered": f"/motioner/?q={SHARED}&party=m",
    "party page": "/motioner/parti/m/",
    "organ page": "/motioner/organ/ks/",
    "area page": "/motioner/omrade/norrby/",
    "tracker": "/uppfoljning/",
    "target year page": "/uppfoljning/malar/2031/",
    "tracker party page": "/uppfoljning/parti/m/",
    "search": f"/sok/?q={SHARED}",
    "search motions": f"/sok/?q={SHARED}&typ=motioner",
    "search decisions": f"/sok/?q={SHARED}&typ=beslut",
    "search commitments": f"/sok/?q={SHARED}&typ=ataganden",
    "search plans": f"/sok/?q={SHARED}&typ=handlingsplaner",
    "search follow-ups": f"/sok/?q={SHARED}&typ=uppfoljningar",
    "feed motions": "/flode/boras/motioner/",
    "feed decisions": "/flode/boras/beslut/",
    "feed follow-ups": "/flode/boras/uppfoljningar/",
    "feed party": "/flode/boras/parti/m/",
    "feed organ": "/flode/boras/organ/ks/",
    "feed area": "/flode/boras/omrade/norrby/",
    "icalendar": "/flode/boras/kalender.ics",
    "sitemap motions": "/sitemap-motioner.xml",
    "sitemap commitments": "/sitemap-ataganden.xml",
    "sitemap plans": "/sitemap-handlingsplaner.xml",
    "sitemap directory": "/sitemap-register.xml",
    "api motions": "/api/v1/motions",
    "api motions by party": "/api/v1/motions?party=m&body=boras",
    "api decisions": "/api/v1/decisions",
    "api commitments": "/api/v1/commitments",
    "api action plans": "/api/v1/action-plans",
    "api follow-ups": "/api/v1/followups",
    "api indicators": "/api/v1/indicators",
    "export motions csv": "/export/boras/motioner.csv",
    "export motions xlsx": "/export/boras/motioner.xlsx",
    "export motions json": "/export/boras/motioner.json",
    "export commitments csv": "/export/boras/ataganden.csv",
    "export commitments json": "/export/boras/ataganden.json",
}


def text_of(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    ):
        book = load_workbook(BytesIO(raw), read_only=True)
        return " ".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    text = raw.decode("utf-8")
    if response["Content-Type"].startswith("application/json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return text


def marker_for(state: str) -> str:
    return "zzmarker" + state.replace("_", "")


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("state", STATES)
def test_an_anonymous_visitor_sees_nothing_of_a_hidden_record(client, world, state, channel):
    marker = marker_for(state)
    STATES[state](world, marker)
    response = client.get(CHANNELS[channel])
    assert response.status_code == 200, response.status_code
    assert marker not in text_of(response).lower()


def _numbers(client, url):
    """Every number the page shows, in order: counts, chart labels and table cells (not the
    footer's time of the last change, which any write moves)."""
    page = client.get(url).content.decode()
    page = re.sub(r'<p class="site-footer__changed">.*?</p>', "", page, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", page)
    return re.findall(r"\d+", text)


@pytest.mark.parametrize(
    "url", ["/uppfoljning/", f"/sok/?q={SHARED}", "/motioner/", "/motioner/parti/m/"]
)
@pytest.mark.parametrize("state", STATES)
def test_counts_and_charts_do_not_count_a_hidden_record(client, world, state, url):
    before = _numbers(client, url)
    STATES[state](world, marker_for(state))
    cache.clear()
    after = _numbers(client, url)
    assert after == before, [(b, a) for b, a in zip(before, after, strict=False) if a != b][:5]


@pytest.mark.parametrize("state", STATES)
def test_a_subscriber_hears_nothing_of_a_hidden_record(
    follow, world, state, django_capture_on_commit_callbacks
):
    for target in (world["motion"], world["party"], world["organ"], world["area"]):
        follow("anna@example.org", target)
    marker = marker_for(state)
    with django_capture_on_commit_callbacks(execute=True):
        STATES[state](world, marker)
    for message in mail.outbox:
        assert marker not in (message.subject + message.body).lower()


def test_a_follow_up_on_a_commitment_of_an_unpublished_decision_is_mailed_to_nobody(
    follow, world, django_capture_on_commit_callbacks
):
    """The leak the issue names: organ, area and party followers were told of it."""
    for target in (world["party"], world["organ"], world["area"]):
        follow("anna@example.org", target)
    decision = DecisionFactory(motion=world["spare"], publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        _commitment_chain(world, "zzmarkerunpubdecision", decision)
    assert not any("zzmarkerunpubdecision" in m.body.lower() for m in mail.outbox)


@pytest.mark.parametrize("frequency", ["immediate", "weekly"])
@pytest.mark.parametrize("hide", ["unpublish motion", "expire motion", "unpublish decision"])
def test_a_notification_queued_while_public_is_not_sent_once_hidden(follow, world, frequency, hide):
    """Queued while public, delivered after the record (or a parent) went private: nothing
    goes out, now or on any later sweep or digest."""
    motion = _motion(world, "zzmarkerqueued")
    follow("anna@example.org", motion, frequency=frequency)
    decision = DecisionFactory(motion=motion, title="Beslut zzmarkerqueued")
    FollowUpFactory(commitment=CommitmentFactory(decision=decision), narrative="zzmarkerqueued")
    pending = list(Notification.objects.unsent().values_list("pk", flat=True))
    assert pending  # the decision (and follow-up) were queued for anna
    mail.outbox.clear()
    if hide == "unpublish motion":
        Motion.objects.get(pk=motion.pk).unpublish()
    elif hide == "expire motion":
        Motion.objects.filter(pk=motion.pk).update(expired=True)
    else:
        decision.refresh_from_db()
        decision.unpublish()
    if frequency == "immediate":
        for pk in pending:
            subscription_services.notification_deliver(notification_id=pk)
        assert subscription_services.unsent_immediate_ids(older_than=timedelta(0)) == []
    else:
        for subscriber_id in subscription_services.digest_subscriber_ids():
            subscription_services.digest_deliver(subscriber_id=subscriber_id)
        assert subscription_services.digest_subscriber_ids() == []
    assert mail.outbox == []
