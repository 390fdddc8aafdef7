"""Writes through plans.services: bad input is refused with nothing saved, only published
follow-ups change the public status, and published follow-ups are append-only."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from plans import services
from plans.models import Action, ActionPlan, Commitment, FollowUp, Measurement
from plans.status import Status
from tests.factories import (
    BodyFactory,
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    IndicatorFactory,
    OrganFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision():
    return DecisionFactory()  # decided in 2024


def test_target_year_before_the_decision_year_is_refused(decision):
    organ = OrganFactory(body=decision.body, executive=True)
    with pytest.raises(ValidationError) as exc:
        services.commitment_create(
            body=decision.body,
            title="För tidigt",
            description="x",
            decision=decision,
            responsible_organ=organ,
            target_year=decision.decided_on.year - 1,
        )
    assert "target_year" in exc.value.message_dict
    assert not Commitment.objects.exists()


def test_responsible_organ_of_another_municipality_is_refused(decision):
    elsewhere = OrganFactory(body=BodyFactory(), executive=True)
    with pytest.raises(ValidationError) as exc:
        services.commitment_create(
            body=decision.body,
            title="Fel kommun",
            description="x",
            decision=decision,
            responsible_organ=elsewhere,
            target_year=2030,
        )
    assert "responsible_organ" in exc.value.message_dict
    assert not Commitment.objects.exists()


def test_measurement_in_the_wrong_unit_is_refused():
    indicator = IndicatorFactory(unit="MSEK", baseline_year=2014)
    with pytest.raises(ValidationError) as exc:
        services.measurement_add(
            indicator=indicator, year=2020, value=Decimal("80000000"), unit="kr"
        )
    assert "unit" in exc.value.message_dict
    assert not Measurement.objects.exists()


def test_measurement_before_the_baseline_is_refused():
    indicator = IndicatorFactory(unit="MSEK", baseline_year=2014)
    with pytest.raises(ValidationError) as exc:
        services.measurement_add(indicator=indicator, year=2012, value=Decimal(110), unit="MSEK")
    assert "year" in exc.value.message_dict
    assert not Measurement.objects.exists()
    services.measurement_add(indicator=indicator, year=2014, value=Decimal(100), unit="MSEK")
    assert indicator.measurements.count() == 1


def test_follow_up_for_a_period_that_ends_in_the_future_is_refused():
    commitment = CommitmentFactory()
    with pytest.raises(ValidationError) as exc:
        services.followup_create(
            commitment=commitment,
            period_kind="annual",
            period_end=date.today() + timedelta(days=30),
            status=Status.IN_PROGRESS,
            progress=10,
            verified_on=date.today(),
        )
    assert "period_end" in exc.value.message_dict
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("progress", [-1, 101])
def test_progress_outside_0_to_100_is_refused(progress):
    commitment = CommitmentFactory()
    with pytest.raises(ValidationError) as exc:
        services.followup_create(
            commitment=commitment,
            period_kind="annual",
            period_end=date(2025, 12, 31),
            status=Status.IN_PROGRESS,
            progress=progress,
            verified_on=date(2026, 1, 10),
        )
    assert "progress" in exc.value.message_dict
    assert not FollowUp.objects.exists()


def test_completed_needs_evidence_or_an_explanation():
    commitment = CommitmentFactory()
    with pytest.raises(ValidationError) as exc:
        services.followup_create(
            commitment=commitment,
            period_kind="annual",
            period_end=date(2025, 12, 31),
            status=Status.COMPLETED,
            progress=100,
            verified_on=date(2026, 1, 10),
        )
    assert "reason" in exc.value.message_dict
    followup = services.followup_create(
        commitment=commitment,
        period_kind="annual",
        period_end=date(2025, 12, 31),
        status=Status.COMPLETED,
        progress=100,
        verified_on=date(2026, 1, 10),
        evidence=[("Årsredovisning", "https://example.org/ar.pdf")],
    )
    assert followup.evidence_links.count() == 1


def test_a_draft_follow_up_does_not_change_the_public_status():
    commitment = CommitmentFactory()
    FollowUpFactory(
        commitment=commitment, status=Status.ON_HOLD, reason="Ingen finansiering", publish=False
    )
    commitment.refresh_from_db()
    assert commitment.current_status == Status.NOT_STARTED
    assert commitment.last_followup_on is None


def test_publishing_sets_the_status_from_the_latest_published_follow_up():
    commitment = CommitmentFactory()
    FollowUpFactory(
        commitment=commitment, period_end=date(2025, 12, 31), status=Status.IN_PROGRESS, progress=40
    )
    FollowUpFactory(
        commitment=commitment, period_end=date(2025, 4, 30), status=Status.NOT_STARTED, progress=0
    )
    commitment.refresh_from_db()
    assert (commitment.current_status, commitment.current_progress) == (Status.IN_PROGRESS, 40)
    assert commitment.last_followup_on == date(2025, 12, 31)


def test_republishing_the_commitment_keeps_the_status_from_follow_ups():
    commitment = CommitmentFactory()
    FollowUpFactory(commitment=commitment, status=Status.IN_PROGRESS, progress=40)
    stale = Commitment.objects.get(pk=commitment.pk)
    stale.current_status = Status.NOT_STARTED  # as an old revision would restore it
    services.commitment_publish(commitment=stale)
    assert Commitment.objects.get(pk=commitment.pk).current_status == Status.IN_PROGRESS


def test_the_author_without_publish_permission_cannot_publish(django_user_model):
    author = django_user_model.objects.create_user("handlaggare", password="x")
    followup = FollowUpFactory(author=author, publish=False)
    with pytest.raises(PermissionDenied):
        services.followup_publish(followup=followup, user=author)
    followup.refresh_from_db()
    assert not followup.live
    followup.commitment.refresh_from_db()
    assert followup.commitment.current_status == Status.NOT_STARTED


def test_the_author_with_publish_permission_may_publish(django_user_model):
    author = django_user_model.objects.create_user("sekreterare", password="x")
    author.user_permissions.add(Permission.objects.get(codename="publish_followup"))
    followup = FollowUpFactory(author=author, publish=False)
    services.followup_publish(followup=FollowUp.objects.get(pk=followup.pk), user=author)
    followup.refresh_from_db()
    assert followup.live
    assert Commitment.objects.get(pk=followup.commitment_id).current_status == Status.IN_PROGRESS


def test_a_published_follow_up_cannot_be_changed():
    followup = FollowUpFactory()
    with pytest.raises(ValidationError):
        services.followup_update(followup=followup, progress=90)
    followup.refresh_from_db()
    assert followup.progress == 40


def test_a_draft_follow_up_can_be_changed():
    followup = FollowUpFactory(publish=False)
    services.followup_update(followup=followup, progress=55)
    followup.refresh_from_db()
    assert followup.progress == 55


def test_publishing_an_older_commitment_revision_keeps_the_status_its_follow_ups_gave():
    commitment = CommitmentFactory()
    first = commitment.latest_revision
    FollowUpFactory(commitment=commitment, status=Status.IN_PROGRESS, progress=40)
    first.publish()
    commitment = Commitment.objects.get(pk=commitment.pk)
    assert commitment.current_status == Status.IN_PROGRESS
    assert commitment.current_progress == 40


def test_publishing_an_older_plan_revision_keeps_the_actions_follow_ups_report_on(decision):
    plan = services.action_plan_create(
        body=decision.body,
        title="Handlingsplan för trygghet",
        decision=decision,
        responsible_organ=OrganFactory(body=decision.body, executive=True),
        period_start=date(2024, 1, 1),
        period_end=date(2027, 12, 31),
        target_year=2030,
        publish=True,
    )
    first = plan.latest_revision
    plan.actions = [
        Action(title="Grillplatser i Stenungsund", owner=plan.responsible_organ, sort_order=0)
    ]
    plan.save()
    services.action_plan_publish(plan=plan)
    action = plan.actions.get()
    FollowUpFactory(commitment=None, action=action, status=Status.IN_PROGRESS)

    first.publish()  # the first version, without the action

    assert list(ActionPlan.objects.get(pk=plan.pk).actions.values_list("pk", flat=True)) == [
        action.pk
    ]
    assert FollowUp.objects.filter(action=action).count() == 1
