"""Two submissions of the same lifecycle form at once (a double click, a retried POST) write one
record and one event, and followers hear of it once.

Two real threads post through the admin against PostgreSQL, where the row lock is real; SQLite
serialises whole transactions, so the race cannot happen there."""

import threading
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from motions import services
from motions.models import (
    CommitteeProposal,
    Decision,
    EventKind,
    Motion,
    MotionEvent,
    Referral,
)
from subscriptions.models import Notification
from tests.factories import MeetingFactory, MotionFactory, OrganFactory, all_clauses

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL's row locks (runs in CI)",
    ),
]


def _key(client, url) -> str:
    html = client.get(url).content.decode()
    marker = 'name="request_key" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def post_twice_at_once(user, url, data) -> list[int]:
    """The same form, key included, sent by two browsers' worth of threads at the same moment."""
    first = Client()
    first.force_login(user)
    data = {**data, "request_key": _key(first, url)}
    barrier = threading.Barrier(2)
    statuses, errors = [], []

    def post():
        try:
            client = Client()
            client.force_login(user)
            barrier.wait(timeout=10)
            statuses.append(client.post(url, data).status_code)
        except Exception as error:  # surfaced below: a thread's failure must fail the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return statuses


@pytest.fixture
def world(admin_user):
    motion = MotionFactory(submitted_on=date(2024, 1, 10), clauses=["att A"])
    council = OrganFactory(body=motion.body)
    executive = OrganFactory(body=motion.body, executive=True)
    meeting = MeetingFactory(organ=council, date=date(2024, 5, 20))
    return {"motion": motion, "council": council, "executive": executive, "meeting": meeting}


def _proposal(w):
    services.proposal_register(
        motion=w["motion"],
        organ=w["executive"],
        proposed_on=date(2024, 4, 1),
        outcomes=all_clauses(w["motion"]),
    )


def _scheduled(w):
    _proposal(w)
    services.motion_schedule(motion=w["motion"], meeting=w["meeting"])


def _raised_and_scheduled(w):
    services.motion_raise(
        motion=w["motion"],
        meeting=MeetingFactory(organ=w["council"], date=date(2024, 1, 22)),
    )
    _scheduled(w)


def _referred(w):
    services.motion_refer(motion=w["motion"], organ=w["executive"], sent_on=date(2024, 2, 1))


def _written_off(w):
    services.motion_write_off(
        motion=w["motion"],
        written_off_on=date(2024, 6, 1),
        legal_ground="other",
        reason="Frågan har lösts på annat sätt.",
    )


def _citizen(w):
    Motion.objects.filter(pk=w["motion"].pk).update(kind="citizen_proposal")
    w["motion"].refresh_from_db()


# action, state before, form data, event kind, the record it writes (counted per motion)
CASES = {
    "raise": (None, lambda w: {"meeting": w["meeting"].pk}, EventKind.RAISED, None),
    "refer": (
        None,
        lambda w: {"organ": w["executive"].pk, "sent_on": "2024-02-01"},
        EventKind.REFERRED,
        Referral,
    ),
    "response": (
        _referred,
        lambda w: {
            "referral": Referral.objects.get(motion=w["motion"]).pk,
            "answered_on": "2024-03-01",
            "summary": "Tillstyrks.",
        },
        EventKind.RESPONSE_REGISTERED,
        None,
    ),
    "proposal": (
        None,
        lambda w: {"organ": w["executive"].pk, "proposed_on": "2024-04-01", "clause_1": "approved"},
        EventKind.PROPOSAL_REGISTERED,
        CommitteeProposal,
    ),
    "schedule": (_proposal, lambda w: {"meeting": w["meeting"].pk}, EventKind.SCHEDULED, None),
    "table": (_scheduled, lambda w: {"meeting": w["meeting"].pk}, EventKind.TABLED, None),
    "send-back": (
        _scheduled,
        lambda w: {"meeting": w["meeting"].pk, "reason": "Mer underlag behövs."},
        EventKind.SENT_BACK,
        None,
    ),
    "hand-over": (
        _citizen,
        lambda w: {"meeting": w["meeting"].pk, "organ": w["executive"].pk},
        EventKind.HANDED_TO_COMMITTEE,
        None,
    ),
    "decide": (
        _raised_and_scheduled,
        lambda w: {
            "meeting": w["meeting"].pk,
            "paragraph": "7",
            "decided_on": "2024-05-20",
            "clause_1": "approved",
        },
        EventKind.DECIDED,
        Decision,
    ),
    "write-off": (
        None,
        lambda w: {
            "written_off_on": "2024-06-01",
            "legal_ground": "other",
            "reason": "Frågan har lösts på annat sätt.",
        },
        EventKind.WRITTEN_OFF,
        None,
    ),
    "withdraw": (None, lambda w: {"withdrawn_on": "2024-03-01"}, EventKind.WITHDRAWN, None),
    "close": (_written_off, lambda w: {"closed_on": "2024-06-02"}, EventKind.CLOSED, None),
}


@pytest.mark.parametrize("action", CASES)
def test_a_double_submission_writes_one_record_and_one_event(world, admin_user, action):
    before, data, kind, record_model = CASES[action]
    if before:
        before(world)
    motion = world["motion"]
    records_before = record_model.objects.filter(motion=motion).count() if record_model else 0

    statuses = post_twice_at_once(
        admin_user, reverse("motions_action", args=[motion.pk, action]), data(world)
    )

    assert sorted(statuses) == [200, 302]  # one done, one shown the refusal
    assert MotionEvent.objects.filter(motion=motion, kind=kind).count() == 1
    if record_model:
        assert record_model.objects.filter(motion=motion).count() == records_before + 1


def test_a_double_submitted_response_is_mailed_once(world, admin_user, follow):
    _referred(world)
    motion = world["motion"]
    subscriber = follow("foljare@example.org", motion).subscriber
    data = CASES["response"][1](world)

    post_twice_at_once(admin_user, reverse("motions_action", args=[motion.pk, "response"]), data)

    assert Notification.objects.filter(subscriber=subscriber).count() == 1
