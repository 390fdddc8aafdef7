"""Bulk data for `make bench`: commitments with follow-ups and measurements.

Rows are written with bulk_create and published directly (no revisions): the bench measures
reads, and going through services for 100,000 follow-ups would take hours on two cores."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motions.models import Decision, MotionResult, Organ
from plans.models import Commitment, FollowUp, Indicator, Measurement
from plans.status import Status

CHUNK = 2000


@transaction.atomic
def generate(
    *, body, commitments=20_000, followups_per=5, indicators=1_000, measurements_per=200, seed=1
) -> dict:
    """Published commitments spread over the body's published decisions and organs, each with
    `followups_per` published follow-ups; `indicators` indicators with `measurements_per` values,
    each linked to some commitments. Returns the counts written."""
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    # Commitments come only from approved clauses or from decisions that answer no motion.
    decisions = list(
        Decision.objects.published()
        .filter(body=body)
        .filter(
            Q(motion__isnull=True)
            | Q(motion__result__in=[MotionResult.APPROVED, MotionResult.PARTLY_APPROVED])
        )
        .values_list("pk", "decided_on")
    )
    organs = list(Organ.objects.filter(body=body).values_list("pk", flat=True))
    if not decisions or not organs:
        raise ValueError("The body needs published decisions and organs first.")
    today = timezone.localdate()
    statuses = [s for s, _ in Status.choices]
    now = timezone.now()
    start = Commitment.objects.filter(body=body).count()
    rows = []
    for i in range(start, start + commitments):
        decision_id, decided_on = rng.choice(decisions)
        rows.append(
            Commitment(
                body=body,
                title=f"Åtagande {i}",
                slug=f"bench-atagande-{i}",
                description="Benchmark.",
                decision_id=decision_id,
                responsible_organ_id=rng.choice(organs),
                target_year=decided_on.year + rng.randint(0, 8),
                live=True,
                first_published_at=now,
                last_published_at=now,
                current_status=rng.choice(statuses),
                current_progress=rng.randint(0, 100),
                last_followup_on=today - timedelta(days=rng.randint(30, 900)),
            )
        )
    made = Commitment.objects.bulk_create(rows, batch_size=CHUNK)
    if not made or made[0].pk is None:  # backends without RETURNING: fetch the ids
        made = list(
            Commitment.objects.filter(body=body, slug__startswith="bench-atagande-").order_by("pk")
        )[-commitments:]
    followups = [
        FollowUp(
            commitment=c,
            period_kind="annual",
            period_end=date(today.year - 1 - k, 12, 31),
            status=c.current_status,
            progress=c.current_progress or 0,
            verified_on=today,
            reason="Benchmark.",
            live=True,
            first_published_at=now,
            last_published_at=now,
        )
        for c in made
        for k in range(followups_per)
    ]
    FollowUp.objects.bulk_create(followups, batch_size=CHUNK)
    made_indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                body=body,
                title=f"Indikator {i}",
                unit="MSEK",
                direction="lower",
                baseline_year=1900,
                baseline_value=Decimal(100),
                target_year=2100,
                target_value=Decimal(60),
            )
            for i in range(indicators)
        ]
    )
    if made_indicators and made_indicators[0].pk is None:
        made_indicators = list(Indicator.objects.filter(body=body).order_by("-pk")[:indicators])
    Measurement.objects.bulk_create(
        [
            Measurement(
                indicator=ind,
                year=1900 + k,
                value=Decimal(rng.randint(50, 110)),
                unit="MSEK",
                sort_order=k,
            )
            for ind in made_indicators
            for k in range(measurements_per)
        ],
        batch_size=CHUNK,
    )
    through = Commitment.indicators.through
    through.objects.bulk_create(
        [
            through(commitment_id=c.pk, indicator_id=made_indicators[n % len(made_indicators)].pk)
            for n, c in enumerate(made[: len(made_indicators) * 2])
        ]
        if made_indicators
        else [],
        batch_size=CHUNK,
    )
    return {
        "commitments": len(made),
        "followups": len(followups),
        "measurements": len(made_indicators) * measurements_per,
    }
