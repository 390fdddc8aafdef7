"""The admin over HTTP: bad input shows a form error and saves nothing; only publishers publish;
published follow-ups cannot be edited, deleted or unpublished."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from plans.models import Commitment, FollowUp, Measurement
from plans.status import Status
from tests.factories import (
    BodyFactory,
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    IndicatorFactory,
    OrganFactory,
)
from tests.records import grant, staff_member

pytestmark = pytest.mark.django_db


def formset(prefix: str, rows: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
        data.update(
            {f"{prefix}-{i}-ORDER": str(i + 1), f"{prefix}-{i}-DELETE": "", f"{prefix}-{i}-id": ""}
        )
    return data


@pytest.fixture
def editor(client):
    """A case officer who may add and change follow-ups but not publish them."""
    user = staff_member(
        "handlaggare",
        "Handläggare",
        [
            "add_followup",
            "change_followup",
            "delete_followup",
            "add_commitment",
            "change_commitment",
        ],
    )
    client.force_login(user)
    return user


@pytest.fixture
def admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", password="x")
    client.force_login(user)
    return user


def commitment_post(decision, organ, **fields):
    data = {
        "body": decision.body_id,
        "title": "Handlingsplan",
        "slug": "handlingsplan",
        "description": "Gör det.",
        "decision": decision.pk,
        "clause_number": "",
        "responsible_organ": organ.pk,
        "target_year": "2030",
        "action_plan": "",
        "reported_back_paragraph": "",
        "reported_back_on": "",
    }
    data.update(fields)
    return data


def followup_post(commitment, **fields):
    data = {
        "commitment": commitment.pk,
        "action": "",
        "period_kind": "annual",
        "period_end": "2025-12-31",
        "status": Status.IN_PROGRESS,
        "progress": "40",
        "narrative": "",
        "reason": "Pågår",
        "source": "",
        "source_url": "",
        "superseded_by": "",
        "verified_on": "2026-01-10",
        **formset("evidence_links", []),
        **formset("indicator_values", []),
    }
    data.update(fields)
    return data


def test_commitment_with_a_target_year_before_the_decision_shows_an_error(client, admin):
    decision = DecisionFactory()
    organ = OrganFactory(body=decision.body, executive=True)
    response = client.post(
        reverse("wagtailsnippets_plans_commitment:add"),
        commitment_post(decision, organ, target_year=str(decision.decided_on.year - 1)),
    )
    assert response.status_code == 200
    assert "target_year" in response.context["form"].errors
    assert not Commitment.objects.exists()


def test_commitment_with_an_organ_of_another_municipality_shows_an_error(client, admin):
    decision = DecisionFactory()
    other = OrganFactory(body=BodyFactory(), executive=True)
    response = client.post(
        reverse("wagtailsnippets_plans_commitment:add"), commitment_post(decision, other)
    )
    assert "responsible_organ" in response.context["form"].errors
    assert not Commitment.objects.exists()


def test_a_valid_commitment_is_saved_as_a_draft_by_the_admin(client, admin):
    decision = DecisionFactory()
    organ = OrganFactory(body=decision.body, executive=True)
    response = client.post(
        reverse("wagtailsnippets_plans_commitment:add"), commitment_post(decision, organ)
    )
    assert response.status_code == 302
    assert Commitment.objects.get().live is False


def test_measurement_in_the_wrong_unit_shows_an_error(client, admin):
    indicator = IndicatorFactory(unit="MSEK", baseline_year=2014)
    data = {
        "body": indicator.body_id,
        "title": indicator.title,
        "unit": "MSEK",
        "direction": "lower",
        "baseline_year": "2014",
        "baseline_value": "100",
        "target_year": "2030",
        "target_value": "60",
        "source": "",
        "kpi_id": "",
        **formset(
            "measurements",
            [
                {
                    "year": "2020",
                    "measured_on": "",
                    "value": "80",
                    "unit": "kr",
                    "source": "",
                    "note": "",
                },
                {
                    "year": "2010",
                    "measured_on": "",
                    "value": "80",
                    "unit": "MSEK",
                    "source": "",
                    "note": "",
                },
            ],
        ),
    }
    response = client.post(
        reverse("wagtailsnippets_plans_indicator:edit", args=[indicator.pk]), data
    )
    assert response.status_code == 200
    rows = response.context["form"].formsets["measurements"].forms
    assert "unit" in rows[0].errors
    assert "year" in rows[1].errors
    assert not Measurement.objects.exists()


def test_follow_up_for_a_future_period_or_bad_progress_shows_errors(client, editor):
    commitment = CommitmentFactory()
    future = (date.today() + timedelta(days=40)).isoformat()
    response = client.post(
        reverse("wagtailsnippets_plans_followup:add"),
        followup_post(commitment, period_end=future, progress="140"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "period_end" in errors
    assert "progress" in errors
    assert not FollowUp.objects.exists()


def test_completed_with_an_evidence_link_in_the_form_is_accepted(client, admin):
    commitment = CommitmentFactory()
    data = followup_post(
        commitment,
        status=Status.COMPLETED,
        progress="100",
        reason="",
        **formset("evidence_links", [{"title": "Årsredovisning", "url": "https://example.org/"}]),
    )
    response = client.post(reverse("wagtailsnippets_plans_followup:add"), data)
    assert response.status_code == 302
    assert FollowUp.objects.get().evidence_links.count() == 1


def test_the_author_without_publish_permission_only_saves_a_draft(client, editor):
    commitment = CommitmentFactory()
    grant(editor, commitment.body)
    response = client.post(
        reverse("wagtailsnippets_plans_followup:add"),
        {**followup_post(commitment), "action-publish": "action-publish"},
    )
    assert response.status_code == 302
    followup = FollowUp.objects.get()
    assert followup.author == editor
    assert followup.live is False
    commitment.refresh_from_db()
    assert commitment.current_status == Status.NOT_STARTED


def test_a_publisher_publishes_and_the_public_status_follows(client, admin):
    commitment = CommitmentFactory()
    response = client.post(
        reverse("wagtailsnippets_plans_followup:add"),
        {**followup_post(commitment), "action-publish": "action-publish"},
    )
    assert response.status_code == 302
    assert FollowUp.objects.get().live is True
    commitment.refresh_from_db()
    assert commitment.current_status == Status.IN_PROGRESS


def test_a_published_follow_up_cannot_be_edited_deleted_or_unpublished(client, admin):
    followup = FollowUpFactory()
    edit = client.post(
        reverse("wagtailsnippets_plans_followup:edit", args=[followup.pk]),
        followup_post(followup.commitment, progress="99"),
    )
    assert edit.status_code == 302
    delete = client.post(reverse("wagtailsnippets_plans_followup:delete", args=[followup.pk]))
    assert delete.status_code == 302
    unpublish = client.post(reverse("wagtailsnippets_plans_followup:unpublish", args=[followup.pk]))
    assert unpublish.status_code == 302
    followup.refresh_from_db()
    assert (followup.progress, followup.live) == (40, True)


def test_admin_commitment_list_filters_by_flag_and_status(client, admin):
    overdue = CommitmentFactory(target_year=2024, title="Försenat åtagande")
    CommitmentFactory(
        target_year=2030,
        title="Framtida åtagande",
        decision=overdue.decision,
        responsible_organ=overdue.responsible_organ,
    )
    response = client.get(reverse("wagtailsnippets_plans_commitment:list"), {"flag": "past_target"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Försenat åtagande" in content
    assert "Framtida åtagande" not in content


def test_removing_an_action_that_has_follow_ups_is_refused_not_a_crash(client, admin):
    from plans import services
    from plans.models import Action

    decision = DecisionFactory()
    organ = OrganFactory(body=decision.body, executive=True)
    plan = services.action_plan_create(
        body=decision.body,
        title="Handlingsplan",
        decision=decision,
        responsible_organ=organ,
        period_start=date(2024, 1, 1),
        period_end=date(2030, 12, 31),
        target_year=2030,
        actions=[{"title": "Kickboardramp", "owner": organ}],
        publish=True,
    )
    ramp = plan.actions.get()
    followup = services.followup_create(
        action=ramp,
        period_kind="annual",
        period_end=date(2025, 12, 31),
        status=Status.IN_PROGRESS,
        progress=50,
        verified_on=date(2026, 1, 5),
    )
    services.followup_publish(followup=followup, user=None)
    data = {
        "body": decision.body_id,
        "title": plan.title,
        "slug": plan.slug,
        "description": "",
        "decision": decision.pk,
        "responsible_organ": organ.pk,
        "period_start": "2024-01-01",
        "period_end": "2030-12-31",
        "target_year": "2030",
        **formset("goals", []),
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "1",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-id": str(ramp.pk),
        "actions-0-title": ramp.title,
        "actions-0-owner": str(organ.pk),
        "actions-0-ORDER": "1",
        "actions-0-DELETE": "1",
        "action-publish": "action-publish",
    }
    url = reverse("wagtailsnippets_plans_actionplan:edit", args=[plan.pk])

    response = client.post(url, data)

    assert response.status_code == 200
    assert (
        "har uppföljningar" in response.content.decode()
        or "has follow-ups" in response.content.decode()
    )
    assert Action.objects.filter(pk=ramp.pk).exists()
