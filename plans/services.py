"""Writes to commitments, plans, indicators and follow-ups. Each is one transaction.

Records are created as drafts and published through Wagtail revisions. A follow-up changes
the public status only once published, and is append-only from then on."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import notifications
from .models import (
    PUBLISH_FOLLOWUP,
    Action,
    ActionPlan,
    Commitment,
    EvidenceLink,
    FollowUp,
    Goal,
    Indicator,
    IndicatorValue,
    Measurement,
)


def _save_revision(obj, *, user, publish: bool):
    revision = obj.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
    return revision


def commitment_refresh_status(*, commitment: Commitment) -> Commitment:
    """Copy the latest published follow-up's status, progress and date onto the commitment."""
    latest = (
        # The follow-ups' own state, not the public chain: the stored status must be right
        # again the moment a hidden decision is published, without a refresh of its own.
        FollowUp.objects.filter(commitment=commitment, live=True, expired=False)
        .order_by("-period_end", "-id")
        .only("status", "progress", "period_end")
        .first()
    )
    values = {
        "current_status": latest.status
        if latest
        else Commitment._meta.get_field("current_status").default,
        "current_progress": latest.progress if latest else None,
        "last_followup_on": latest.period_end if latest else None,
    }
    Commitment.objects.filter(pk=commitment.pk).update(**values)
    for field, value in values.items():
        setattr(commitment, field, value)
    return commitment


@transaction.atomic
def commitment_create(
    *,
    body,
    title: str,
    description: str,
    decision,
    responsible_organ,
    target_year: int,
    clause_number: int | None = None,
    co_responsible=(),
    action_plan: ActionPlan | None = None,
    areas=(),
    indicators=(),
    slug: str = "",
    reported_back_paragraph: str = "",
    reported_back_on: date | None = None,
    user=None,
    publish: bool = False,
) -> Commitment:
    """Record what a decision obliges an organ to do. Refuses, saving nothing, when the target
    year is before the decision or the organ belongs to another municipality."""
    commitment = Commitment(
        body=body,
        title=title,
        slug=slug or slugify(title)[:80],
        description=description,
        decision=decision,
        responsible_organ=responsible_organ,
        target_year=target_year,
        clause_number=clause_number,
        action_plan=action_plan,
        reported_back_paragraph=reported_back_paragraph,
        reported_back_on=reported_back_on,
        live=False,
    )
    commitment.full_clean()
    for organ in co_responsible:
        if organ.body_id != body.pk:
            raise ValidationError(
                {"co_responsible": _("The organ belongs to another municipality.")}
            )
    commitment.save()
    commitment.co_responsible.set(co_responsible)
    commitment.areas.set(areas)
    commitment.indicators.set(indicators)
    commitment.save()
    _save_revision(commitment, user=user, publish=publish)
    return commitment_refresh_status(commitment=commitment)


@transaction.atomic
def commitment_publish(*, commitment: Commitment, user=None) -> Commitment:
    _save_revision(commitment, user=user, publish=True)
    return commitment_refresh_status(commitment=commitment)


@transaction.atomic
def action_plan_publish(*, plan: ActionPlan, user=None) -> ActionPlan:
    """Publish the plan document as it stands (its goals and actions)."""
    _save_revision(plan, user=user, publish=True)
    return plan


@transaction.atomic
def action_plan_create(
    *,
    body,
    title: str,
    decision,
    responsible_organ,
    period_start: date,
    period_end: date,
    target_year: int,
    goals: list[str] = (),
    actions: list[dict] = (),
    areas=(),
    description: str = "",
    slug: str = "",
    user=None,
    publish: bool = False,
) -> ActionPlan:
    """Register a plan with its goals and actions (dicts of Action fields), in order."""
    plan = ActionPlan(
        body=body,
        title=title,
        slug=slug or slugify(title)[:80],
        decision=decision,
        responsible_organ=responsible_organ,
        period_start=period_start,
        period_end=period_end,
        target_year=target_year,
        description=description,
        live=False,
    )
    plan.full_clean()
    plan.save()
    plan.goals = [Goal(text=text, sort_order=i) for i, text in enumerate(goals)]
    children = [Action(sort_order=i, plan=plan, **fields) for i, fields in enumerate(actions)]
    for action in children:
        action.clean()
    plan.actions = children
    plan.areas.set(areas)
    plan.save()
    _save_revision(plan, user=user, publish=publish)
    return plan


@transaction.atomic
def indicator_create(
    *,
    body,
    title: str,
    unit: str,
    direction: str,
    baseline_year: int,
    baseline_value: Decimal,
    target_year: int,
    target_value: Decimal,
    source: str = "",
    kpi_id: str = "",
) -> Indicator:
    indicator = Indicator(
        body=body,
        title=title,
        unit=unit,
        direction=direction,
        baseline_year=baseline_year,
        baseline_value=baseline_value,
        target_year=target_year,
        target_value=target_value,
        source=source,
        kpi_id=kpi_id,
    )
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def measurement_add(
    *,
    indicator: Indicator,
    year: int,
    value: Decimal,
    unit: str,
    measured_on: date | None = None,
    source: str = "",
    note: str = "",
) -> Measurement:
    """Add a value. Refuses one in another unit or from before the baseline."""
    measurement = Measurement(
        indicator=indicator,
        year=year,
        value=value,
        unit=unit,
        measured_on=measured_on,
        source=source,
        note=note,
        sort_order=indicator.measurements.count(),
    )
    measurement.full_clean()
    measurement.save()
    return measurement


@transaction.atomic
def followup_create(
    *,
    period_kind: str,
    period_end: date,
    status: str,
    progress: int,
    verified_on: date,
    commitment: Commitment | None = None,
    action: Action | None = None,
    narrative: str = "",
    reason: str = "",
    source: str = "",
    source_url: str = "",
    superseded_by=None,
    evidence: list[tuple[str, str]] = (),
    indicator_values: list[dict] = (),
    author=None,
) -> FollowUp:
    """Write a follow-up as a draft. It changes nothing public until `followup_publish`;
    `indicator_values` (dicts of IndicatorValue fields) become measurements only then."""
    followup = FollowUp(
        commitment=commitment,
        action=action,
        period_kind=period_kind,
        period_end=period_end,
        status=status,
        progress=progress,
        verified_on=verified_on,
        narrative=narrative,
        reason=reason,
        source=source,
        source_url=source_url,
        superseded_by=superseded_by,
        author=author,
        live=False,
    )
    links = [EvidenceLink(title=t, url=u, sort_order=i) for i, (t, u) in enumerate(evidence)]
    for link in links:  # the admin form checks them; an import must not store a script link
        link.full_clean(exclude=["followup"])
    followup.evidence_in_form = bool(evidence)
    followup.full_clean()
    followup.save()
    followup.evidence_links = links
    values = [IndicatorValue(sort_order=i, **row) for i, row in enumerate(indicator_values)]
    for value in values:
        if commitment is None or not commitment.indicators.filter(pk=value.indicator.pk).exists():
            raise ValidationError(
                {"indicator_values": _("Report values only of the commitment's own indicators.")}
            )
        value.full_clean(exclude=["followup"])
    followup.indicator_values = values
    followup.save()
    _save_revision(followup, user=author, publish=False)
    return followup


def can_publish_followup(user) -> bool:
    return bool(user and user.is_active and user.has_perm(PUBLISH_FOLLOWUP))


@transaction.atomic
def followup_publish(*, followup: FollowUp, user) -> FollowUp:
    """Approve and publish a follow-up, then refresh the commitment's public status.

    Only a user with the publish permission may do it, the author included; `user=None`
    is the system itself (the demo loader, imports)."""
    if user is not None and not can_publish_followup(user):
        raise PermissionDenied(_("Only the secretariat may publish follow-ups."))
    if FollowUp.objects.filter(pk=followup.pk, live=True).exists():
        raise ValidationError(_("The follow-up is already published."))
    # Publishing reaches `followup_published` through `plans.signals`, as from the admin.
    _save_revision(followup, user=user, publish=True)
    followup.refresh_from_db()  # publishing saved a copy built from the revision
    return followup


def followup_published(*, followup: FollowUp) -> None:
    """After a follow-up was published or unpublished (by a service, the admin or the
    secretariat's approval in its workflow): its indicator values become measurements, the
    commitment's public status follows, and its followers hear of a new follow-up."""
    if followup.live:
        followup_write_measurements(followup=followup)
    if followup.commitment_id:
        commitment_refresh_status(commitment=followup.commitment)
    if followup.live:
        notifications.followup_published(followup)


def followup_write_measurements(*, followup: FollowUp) -> list[Measurement]:
    """The one writer of measurements reported with a follow-up: each indicator value becomes a
    measurement of its indicator, checked as any measurement is. Once per follow-up, so a
    second publication writes nothing twice."""
    if Measurement.objects.filter(followup=followup).exists():
        return []
    values = list(followup.indicator_values.select_related("indicator"))
    if not values:
        return []
    counts = dict(
        Measurement.objects.filter(indicator__in={v.indicator_id for v in values})
        .values("indicator")
        .annotate(n=models.Count("id"))
        .values_list("indicator", "n")
    )
    written = []
    for value in values:
        measurement = value.as_measurement()
        measurement.sort_order = counts.get(value.indicator_id, 0)
        counts[value.indicator_id] = measurement.sort_order + 1
        measurement.full_clean()
        written.append(measurement)
    return Measurement.objects.bulk_create(written)


@transaction.atomic
def followup_update(*, followup: FollowUp, user=None, **fields) -> FollowUp:
    """Change a draft follow-up. A published one is part of the record: write a newer one."""
    if FollowUp.objects.filter(pk=followup.pk, first_published_at__isnull=False).exists():
        raise ValidationError(
            _("A published follow-up cannot be changed; write a new follow-up instead.")
        )
    for name, value in fields.items():
        setattr(followup, name, value)
    followup.full_clean()
    followup.save()
    _save_revision(followup, user=user, publish=False)
    return followup
