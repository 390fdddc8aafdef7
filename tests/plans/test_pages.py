"""The public tracker over HTTP: every page type, privacy of drafts, and constant query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from cms.models import FollowUpIndexPage
from plans import services
from plans.status import Status
from tests.factories import (
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    IndicatorFactory,
    MotionFactory,
    OrganFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracker(public_site):
    page = public_site.home.add_child(
        instance=FollowUpIndexPage(title="Uppföljning", slug="uppfoljning", body=public_site.body)
    )
    cache.clear()
    return page


@pytest.fixture
def decision(public_site):
    motion = MotionFactory(body=public_site.body)
    return DecisionFactory(motion=motion)


@pytest.fixture
def organ(public_site):
    return OrganFactory(body=public_site.body, executive=True, name="Kommunstyrelsen")


def make_commitments(decision, organ, n, *, followups=1, indicator=None):
    made = []
    for i in range(n):
        commitment = CommitmentFactory(
            decision=decision,
            responsible_organ=organ,
            target_year=2026 + i % 5,
            indicators=[indicator] if indicator else [],
        )
        for k in range(followups):
            FollowUpFactory(
                commitment=commitment, period_end=date(2025, 1 + k, 28), progress=10 + k
            )
        made.append(commitment)
    return made


def test_summary_shows_chart_and_table_with_the_same_numbers(client, tracker, decision, organ):
    make_commitments(decision, organ, 3)
    response = client.get(tracker.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html
    assert '<title id="chart-status-title">' in html
    assert "<caption>" in html
    assert response.context["summary"]["by_status"]["total"] == 3
    assert response.context["page_obj"].paginator.count == 3  # the list below says so too
    assert len(response.context["page_obj"].object_list) == 3
    assert dict(response.context["summary"]["by_status"]["rows"])[Status.IN_PROGRESS.label] == 3


def test_list_filters_by_status_and_flag(client, tracker, decision, organ):
    late = CommitmentFactory(
        decision=decision, responsible_organ=organ, target_year=2024, title="Sent åtagande"
    )
    CommitmentFactory(
        decision=decision, responsible_organ=organ, target_year=2030, title="Nytt åtagande"
    )
    response = client.get(tracker.url, {"flag": "past_target"})
    titles = [c.title for c in response.context["page_obj"].object_list]
    assert titles == [late.title]
    response = client.get(tracker.url, {"status": "completed"})
    assert list(response.context["page_obj"].object_list) == []


def test_commitment_page_tells_the_whole_chain(client, tracker, decision, organ):
    indicator = IndicatorFactory(body=decision.body, title="Kostnad för försörjningsstöd")
    services.measurement_add(indicator=indicator, year=2020, value=Decimal(75), unit="MSEK")
    commitment = CommitmentFactory(
        decision=decision, responsible_organ=organ, indicators=[indicator], clause_number=1
    )
    FollowUpFactory(
        commitment=commitment, reason="Handlingsplanen är antagen", source="Delårsrapport 2025"
    )
    response = client.get(commitment.get_url())
    assert response.status_code == 200
    html = response.content.decode()
    motion = decision.motion
    for text in [
        motion.title,
        f"§ {decision.paragraph}",
        "Kommunstyrelsen",
        "2030",
        "Handlingsplanen är antagen",
        "Delårsrapport 2025",
        "Kostnad för försörjningsstöd",
        "chart-line-chart",
        "<table>",
    ]:
        assert text in html, text
    assert motion.submitters.first().party.abbreviation in html


def test_a_commitment_can_be_followed_from_its_page(client, tracker, decision, organ):
    commitment = CommitmentFactory(decision=decision, responsible_organ=organ)
    html = client.get(commitment.get_url()).content.decode()
    assert f'value="commitment:{commitment.pk}"' in html
    assert f"/flode/{commitment.body.slug}/atagande/{commitment.slug}/" in html

    response = client.post(
        "/folj/",
        {
            "email": "anna@example.org",
            "frequency": "immediate",
            "target": f"commitment:{commitment.pk}",
        },
    )
    assert response.status_code == 200
    assert commitment.title in response.content.decode()


def test_a_commitment_without_follow_ups_says_there_is_no_evidence(
    client, tracker, decision, organ
):
    commitment = CommitmentFactory(decision=decision, responsible_organ=organ)
    response = client.get(commitment.get_url())
    assert response.context["standing"].has_evidence is False
    assert "notice" in response.content.decode()


def test_draft_follow_up_and_draft_commitment_stay_private(client, tracker, decision, organ):
    commitment = CommitmentFactory(decision=decision, responsible_organ=organ)
    FollowUpFactory(
        commitment=commitment, status=Status.ON_HOLD, reason="HEMLIGUTKASTORD", publish=False
    )
    response = client.get(commitment.get_url())
    html = response.content.decode()
    assert "HEMLIGUTKASTORD" not in html
    assert response.context["standing"].status == Status.NOT_STARTED
    draft = CommitmentFactory(
        decision=decision, responsible_organ=organ, publish=False, title="Utkaståtagande"
    )
    assert client.get(f"{tracker.url}{draft.slug}/").status_code == 404
    assert "Utkaståtagande" not in client.get(tracker.url).content.decode()


def test_target_year_page_lists_what_is_due(client, tracker, decision, organ):
    CommitmentFactory(
        decision=decision, responsible_organ=organ, target_year=2030, title="Klart 2030"
    )
    CommitmentFactory(
        decision=decision, responsible_organ=organ, target_year=2028, title="Klart 2028"
    )
    html = client.get(f"{tracker.url}malar/2030/").content.decode()
    assert "Klart 2030" in html
    assert "Klart 2028" not in html


def test_action_plan_page_shows_goals_actions_and_progress(client, tracker, decision, organ):
    plan = services.action_plan_create(
        body=decision.body,
        title="Handlingsplan Norrby",
        decision=decision,
        responsible_organ=organ,
        period_start=date(2024, 9, 1),
        period_end=date(2030, 12, 31),
        target_year=2030,
        goals=["Norrby är inte särskilt utsatt 2030"],
        actions=[
            {"title": "Kickboardramp", "owner": organ, "ends_on": date(2025, 6, 30)},
            {"title": "Fritidsgård öppen helger", "owner": organ},
        ],
        publish=True,
    )
    ramp = plan.actions.get(title="Kickboardramp")
    followup = services.followup_create(
        action=ramp,
        period_kind="annual",
        period_end=date(2025, 12, 31),
        status=Status.IN_PROGRESS,
        progress=50,
        verified_on=date(2026, 1, 5),
    )
    services.followup_publish(followup=followup, user=None)
    response = client.get(plan.get_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Norrby är inte särskilt utsatt 2030" in html
    assert "Kickboardramp" in html
    assert response.context["progress"] == 25  # (50 + 0) / 2
    assert response.context["actions"][0].overdue  # ended June 2025, still in progress


def test_party_page_shows_decisions_and_commitment_statuses(client, tracker, decision, organ):
    commitment = CommitmentFactory(
        decision=decision, responsible_organ=organ, title="Åtagande från motionen"
    )
    FollowUpFactory(commitment=commitment)
    party = decision.motion.submitters.first().party
    response = client.get(f"{tracker.url}parti/{party.slug}/")
    html = response.content.decode()
    assert decision.motion.title in html
    assert f"§ {decision.paragraph}" in html
    assert "Åtagande från motionen" in html


def test_motion_page_lists_the_commitments_its_decision_created(client, tracker, decision, organ):
    CommitmentFactory(decision=decision, responsible_organ=organ, title="Åtagande på motionssidan")
    html = client.get(decision.motion.get_url()).content.decode()
    assert "Åtagande på motionssidan" in html


@pytest.mark.parametrize("size", [2, 12])
def test_pages_run_a_fixed_number_of_queries(
    client, tracker, decision, organ, size, django_assert_max_num_queries
):
    indicator = IndicatorFactory(body=decision.body)
    for year in range(2015, 2015 + size):
        services.measurement_add(indicator=indicator, year=year, value=Decimal(90), unit="MSEK")
    commitments = make_commitments(decision, organ, size, followups=3, indicator=indicator)
    client.get(tracker.url)  # warm the index-URL cache and the site lookups
    with django_assert_max_num_queries(15):
        assert client.get(tracker.url).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(tracker.url, {"page": 1}).status_code == 200
    with django_assert_max_num_queries(16):
        assert (
            client.get(tracker.url, {"status": "in_progress", "flag": "stale"}).status_code == 200
        )
    with django_assert_max_num_queries(19):  # with its decision's appeals (legal force)
        assert client.get(commitments[0].get_url()).status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(f"{tracker.url}malar/2026/").status_code == 200
    party = decision.motion.submitters.first().party
    with django_assert_max_num_queries(15):
        assert client.get(f"{tracker.url}parti/{party.slug}/").status_code == 200


def test_list_filters_by_the_party_whose_motion_created_the_commitment(
    client, tracker, decision, organ, public_site
):
    ours = CommitmentFactory(decision=decision, responsible_organ=organ, title="Från vår motion")
    their_motion = MotionFactory(body=public_site.body)
    theirs = CommitmentFactory(
        decision=DecisionFactory(motion=their_motion),
        responsible_organ=organ,
        title="Från en annan motion",
    )
    party = decision.motion.submitters.get().party

    response = client.get(tracker.url, {"party": party.slug})

    titles = [c.title for c in response.context["page_obj"].object_list]
    assert titles == [ours.title]
    assert theirs.title not in response.content.decode()
    assert client.get(tracker.url, {"party": "finns-inte"}).status_code == 200
    assert "party" in client.get(tracker.url, {"party": "finns-inte"}).context["filter"].errors
