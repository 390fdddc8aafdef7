"""The political groups' weekly digest: what changed in seven days for the party's motions and
the watchlist, never a draft, nothing when there is nothing to say, once per user and week."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from motions import services as motion_services
from tests.factories import (
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    MotionFactory,
    OrganFactory,
)
from workspace import digest, tasks
from workspace.models import DigestClaim, Watch
from workspace.selectors import digest_for

from .conftest import party_group_member

pytestmark = pytest.mark.django_db


def _record(group, other_body):
    """This week's public news for the party and the watchlist, and private records beside them."""
    today = timezone.localdate()
    decided = MotionFactory(body=group.body, party=group.party, title="Beslutad MOTION1")
    decision = DecisionFactory(motion=decided, title="Bifall BESLUT1")
    commitment = CommitmentFactory(decision=decision, title="Åtagande UPPDRAG1")
    FollowUpFactory(commitment=commitment, status="in_progress")
    quiet = CommitmentFactory(decision=decision, title="Åtagande TYST1")
    FollowUpFactory(commitment=quiet, status="on_hold", reason="Pausad", publish=False)

    due = MotionFactory(
        body=group.body,
        party=group.party,
        title="Snart förfallen MOTION2",
        submitted_on=today - timedelta(days=355),
    )
    motion_services.motion_refer(
        motion=due, organ=OrganFactory(body=group.body, slug="son"), sent_on=today
    )
    MotionFactory(
        body=group.body,
        party=group.party,
        publish=False,
        title="Utkast HEMLIG1",
        submitted_on=today - timedelta(days=355),
    )
    pending = MotionFactory(body=group.body, party=group.party, title="Väntande MOTION3")
    DecisionFactory(motion=pending, title="Ej publicerat HEMLIG2", publish=False)

    watched = MotionFactory(body=group.body, title="Bevakad MOTION4")
    motion_services.motion_refer(
        motion=watched, organ=OrganFactory(body=group.body, slug="aln"), sent_on=today
    )
    Watch.objects.create(user=group.user, motion=watched)
    foreign = MotionFactory(body=other_body, title="Främmande HEMLIG3")
    motion_services.motion_refer(motion=foreign, organ=OrganFactory(body=other_body), sent_on=today)
    Watch.objects.create(user=group.user, motion=foreign)  # forged past the service
    return decision, commitment, due, watched


def test_the_digest_tells_what_changed_and_never_a_draft(group, other_body, mailoutbox):
    decision, commitment, due, watched = _record(group, other_body)

    found = digest_for(group.user)

    assert found.decisions == [decision]
    assert [f.commitment for f in found.followups] == [commitment]
    assert {e.motion for e in found.events} == {due, watched}
    assert found.deadlines == [due]

    [claim] = digest.plan()
    assert digest.send(claim_id=claim) == 1
    [mail] = mailoutbox
    assert mail.to == [group.user.email]
    for marker in ("BESLUT1", "UPPDRAG1", "MOTION2", "MOTION4", "/admin/workspace/"):
        assert marker in mail.body
    for marker in ("HEMLIG1", "HEMLIG2", "HEMLIG3", "TYST1"):
        assert marker not in mail.body


def test_nothing_to_say_sends_nothing(group, mailoutbox):
    DecisionFactory(motion=MotionFactory(body=group.body, party=group.party))
    next_week = timezone.now() + timedelta(days=8)

    assert not digest_for(group.user, now=next_week)
    assert digest.plan(now=next_week) == []
    assert not DigestClaim.objects.exists()
    assert mailoutbox == []


def test_a_draft_alone_is_nothing_to_say(group, mailoutbox):
    today = timezone.localdate()
    MotionFactory(
        body=group.body, party=group.party, publish=False, submitted_on=today - timedelta(days=355)
    )
    DecisionFactory(
        motion=MotionFactory(body=group.body, party=group.party, submitted_on=today),
        publish=False,
    )

    tasks.send_weekly_digests()

    assert mailoutbox == []


def test_a_rerun_in_the_same_week_sends_nothing_twice(
    group, other_body, mailoutbox, django_capture_on_commit_callbacks
):
    _record(group, other_body)
    neighbour = party_group_member("boras-s-2", group.body, group.party)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_weekly_digests() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_weekly_digests() == 0

    assert sorted(m.to[0] for m in mailoutbox) == sorted([group.user.email, neighbour.email])
    assert DigestClaim.objects.filter(sent_at__isnull=False).count() == 2


def test_a_record_made_private_after_the_claim_is_not_sent(group, mailoutbox):
    motion = MotionFactory(body=group.body, party=group.party)
    DecisionFactory(motion=motion, title="Snart dragen BESLUT9")
    [claim] = digest.plan()

    motion.unpublish()  # takes its decision private with it
    digest.send(claim_id=claim)

    assert mailoutbox == []
    assert DigestClaim.objects.get(pk=claim).sent_at is not None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_two_beat_processes_at_once_send_each_digest_once(group, other_body, mailoutbox):
    _record(group, other_body)
    users = [group.user] + [
        party_group_member(f"boras-s-{n}", group.body, group.party) for n in range(2, 7)
    ]
    start, results, errors = threading.Barrier(2), [], []

    def beat():
        try:
            start.wait()
            results.append(tasks.send_weekly_digests())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(results) == len(users)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in users)
    assert DigestClaim.objects.count() == len(users)
