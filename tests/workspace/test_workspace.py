"""The political group's workspace in the admin: its party's public record, the deadlines,
the commitments that followed, and a watchlist that holds only what anyone may read."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motions.deadlines import add_years
from plans.models import Commitment
from tests.factories import (
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    MotionFactory,
)
from tests.records import staff_member
from workspace.models import Watch

from .conftest import party_group_member

pytestmark = pytest.mark.django_db

URL = reverse("workspace_index")
ADD = reverse("workspace_watch_add")


def _page(client, user):
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_partys_published_record_and_nothing_private(client, group):
    motion = MotionFactory(body=group.body, party=group.party, title="Fler feriejobb MARKÖR1")
    decision = DecisionFactory(motion=motion, title="Svar på motion BESLUT1")
    commitment = CommitmentFactory(decision=decision, title="Åtagande UPPDRAG1")
    FollowUpFactory(commitment=commitment, status="in_progress")
    FollowUpFactory(commitment=commitment, status="on_hold", reason="Pausad", publish=False)
    MotionFactory(body=group.body, party=group.party, publish=False, title="Utkast HEMLIG1")
    undecided = MotionFactory(body=group.body, party=group.party, title="Väntar MARKÖR2")
    draft_decision = DecisionFactory(motion=undecided, title="Opublicerat HEMLIG2", publish=False)
    CommitmentFactory(decision=draft_decision, title="Åtagande HEMLIG3")
    MotionFactory(body=group.body, title="Annat partis motion HEMLIG4")

    html = _page(client, group.user)

    for marker in ("MARKÖR1", "BESLUT1", "UPPDRAG1", "MARKÖR2"):
        assert marker in html
    for marker in ("HEMLIG1", "HEMLIG2", "HEMLIG3", "HEMLIG4"):
        assert marker not in html
    assert undecided.deadline_on >= add_years(undecided.submitted_on, 1)
    assert undecided.deadline_on.isoformat() in html
    # The draft follow-up ("on hold") never reaches the commitment's status.
    [row] = [r for r in _rows(client) if r.motion == motion]
    assert [c.standing.status for c in row.commitments] == ["in_progress"]


def _rows(client):
    return client.get(URL).context["rows"]


def test_overdue_ones_come_first(client, group):
    today = timezone.localdate()
    decided_early = MotionFactory(
        body=group.body, party=group.party, submitted_on=today - timedelta(days=900)
    )
    DecisionFactory(motion=decided_early)
    overdue = MotionFactory(
        body=group.body, party=group.party, submitted_on=today - timedelta(days=400)
    )
    late_commitment_motion = MotionFactory(
        body=group.body, party=group.party, submitted_on=today - timedelta(days=800)
    )
    CommitmentFactory(
        decision=DecisionFactory(motion=late_commitment_motion),
        target_year=late_commitment_motion.submitted_on.year + 1,
    )
    fresh = MotionFactory(body=group.body, party=group.party, submitted_on=today)

    client.force_login(group.user)
    rows = _rows(client)

    assert [r.motion for r in rows] == [late_commitment_motion, overdue, decided_early, fresh]
    assert [r.overdue for r in rows] == [True, True, False, False]
    assert rows[1].deadline.overdue
    assert not rows[0].deadline.overdue  # decided; first because its commitment is late


def test_only_political_groups_see_the_menu_item_and_the_page(client, group, body):
    client.force_login(group.user)
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()

    secretariat = staff_member("boras-sekretariat", "Sekretariat", [], body=body)
    client.force_login(secretariat)
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()
    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    for response in (client.get(URL), client.post(ADD, {"kind": "motion", "id": 1})):
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert not Watch.objects.exists()


def test_a_published_motion_and_commitment_are_watched_and_unwatched(client, group):
    motion = MotionFactory(body=group.body, party=group.party)
    other_partys = MotionFactory(body=group.body, title="Grannpartiets MARKÖR5")
    commitment = CommitmentFactory(decision=DecisionFactory(motion=motion))
    client.force_login(group.user)

    client.post(ADD, {"kind": "motion", "id": motion.pk})
    client.post(ADD, {"kind": "motion", "id": motion.pk})  # twice: still one watch
    client.post(ADD, {"kind": "commitment", "id": commitment.pk})
    response = client.post(ADD, {"kind": "motion", "id": other_partys.pk}, follow=True)

    assert Watch.objects.filter(user=group.user).count() == 3
    assert "MARKÖR5" in response.content.decode()
    [watch] = Watch.objects.filter(user=group.user, motion=motion)
    client.post(reverse("workspace_watch_remove", args=[watch.pk]))
    assert not Watch.objects.filter(user=group.user, motion=motion).exists()


def test_any_published_motion_of_the_municipality_is_watched_by_its_case_number(
    client, group, other_body
):
    neighbours = MotionFactory(body=group.body, case_number="KS 2024-00777")
    MotionFactory(body=other_body, case_number="KS 2024-00778")
    MotionFactory(body=group.body, case_number="KS 2024-00779", publish=False)
    client.force_login(group.user)

    for case_number in ("ks 2024-00777", "KS 2024-00778", "KS 2024-00779", ""):
        client.post(ADD, {"kind": "motion", "case_number": case_number})

    assert [w.motion for w in Watch.objects.all()] == [neighbours]


@pytest.mark.parametrize(
    "case",
    [
        "draft motion",
        "other municipality",
        "draft commitment",
        "other municipality's commitment",
        "no such kind",
        "not a number",
    ],
)
def test_a_forged_watch_is_refused_and_changes_nothing(client, group, other_body, case):
    theirs = MotionFactory(body=other_body)
    record = {
        "draft motion": lambda: (
            "motion",
            MotionFactory(body=group.body, party=group.party, publish=False).pk,
        ),
        "other municipality": lambda: ("motion", theirs.pk),
        "draft commitment": lambda: (
            "commitment",
            CommitmentFactory(
                decision=DecisionFactory(motion=MotionFactory(body=group.body, party=group.party)),
                publish=False,
            ).pk,
        ),
        "other municipality's commitment": lambda: (
            "commitment",
            CommitmentFactory(decision=DecisionFactory(motion=theirs)).pk,
        ),
        "no such kind": lambda: ("user", group.user.pk),
        "not a number": lambda: ("motion", "1 OR 1=1"),
    }[case]
    kind, pk = record()
    client.force_login(group.user)

    response = client.post(ADD, {"kind": kind, "id": pk}, follow=True)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Watch.objects.exists()


def test_nobody_removes_another_users_watch(client, group):
    motion = MotionFactory(body=group.body, party=group.party)
    neighbour = party_group_member("boras-s-2", group.body, group.party)
    watch = Watch.objects.create(user=neighbour, motion=motion)
    client.force_login(group.user)

    response = client.post(reverse("workspace_watch_remove", args=[watch.pk]), follow=True)

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Watch.objects.filter(pk=watch.pk).exists()


def test_the_buttons_need_post_and_the_csrf_token(group):
    motion = MotionFactory(body=group.body, party=group.party)
    client = Client(enforce_csrf_checks=True)
    client.force_login(group.user)

    assert client.get(ADD, {"kind": "motion", "id": motion.pk}).status_code == 405
    assert client.post(ADD, {"kind": "motion", "id": motion.pk}).status_code == 403
    assert not Watch.objects.exists()


def test_a_watched_motion_made_private_leaves_the_watchlist(client, group):
    motion = MotionFactory(body=group.body, party=group.party, title="Bevakad MARKÖR6")
    Watch.objects.create(user=group.user, motion=motion)
    assert "MARKÖR6" in _page(client, group.user)

    motion.unpublish()

    assert "MARKÖR6" not in _page(client, group.user)
    assert client.get(URL).context["watches"] == []


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_runs_a_fixed_number_of_queries(
    client, group, count, django_assert_max_num_queries
):
    for n in range(count):
        motion = MotionFactory(body=group.body, party=group.party)
        if n % 3 == 0:
            CommitmentFactory(decision=DecisionFactory(motion=motion))
            Watch.objects.create(user=group.user, motion=motion)
    Watch.objects.create(user=group.user, commitment=Commitment.objects.first())
    client.force_login(group.user)
    client.get(URL)  # warm Wagtail's per-process caches

    with django_assert_max_num_queries(15):
        response = client.get(URL)

    assert len(response.context["rows"]) == count
