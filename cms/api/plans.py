"""The open data API for follow-up: commitments, action plans, indicators and follow-ups.

Same conventions as `cms.api.motions`: published records only, cursor pages, links as URLs,
and the tracker's own FilterSet (`CommitmentFilter`) for the commitment list."""

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from cms.keyset import Keyset
from cms.sites import request_body_id
from plans.filters import CommitmentFilter
from plans.models import ActionPlan, Commitment, FollowUp, Indicator, Measurement

from .envelope import (
    BY_ID,
    PageParams,
    api_url,
    body_param,
    filter_params_schema,
    filtered,
    own,
    paginated,
    ref,
    scoped,
    web_url,
)

router = Router()

COMMITMENT_KEYSET = Keyset(("target_year", "id"), descending=False)
FOLLOWUP_KEYSET = Keyset(("period_end", "id"))


def public_indicators():
    """Indicators have no draft state of their own: one is public once a public commitment uses it."""
    used = Commitment.objects.published().filter(indicators=OuterRef("pk"))
    return Indicator.objects.filter(Exists(used))


# --- serializers ----------------------------------------------------------------------------


def action_plan_ref(request, plan):
    return ref(request, "action-plans", plan) if plan else None


def commitment_data(request, c: Commitment) -> dict:
    return {
        "id": c.pk,
        "url": api_url(request, "commitments", c.pk),
        "web": web_url(request, c),
        "name": c.title,
        "description": c.description,
        "body": ref(request, "bodies", c.body),
        "decision": ref(request, "decisions", c.decision),
        "clause_number": c.clause_number,
        "responsible_organization": ref(request, "organs", c.responsible_organ),
        "target_year": c.target_year,
        "status": c.current_status,
        "progress": c.current_progress,
        "last_followup_on": c.last_followup_on,
        "reported_back_on": c.reported_back_on,
        "reported_back_paragraph": c.reported_back_paragraph,
        "action_plan": action_plan_ref(request, c.action_plan if c.action_plan_public else None),
    }


def measurement_data(m: Measurement) -> dict:
    return {
        "year": m.year,
        "date": m.measured_on,
        "value": m.value,
        "unit": m.unit,
        "source": m.source,
        "note": m.note,
    }


def indicator_data(request, i: Indicator) -> dict:
    return {
        "id": i.pk,
        "url": api_url(request, "indicators", i.pk),
        "name": i.title,
        "unit": i.unit,
        "direction": i.direction,
        "baseline": {"year": i.baseline_year, "value": i.baseline_value},
        "target": {"year": i.target_year, "value": i.target_value},
        "source": i.source,
        "kpi_id": i.kpi_id,
        "body": ref(request, "bodies", i.body),
        "measurements": [measurement_data(m) for m in i.measurements.all()],
    }


def followup_data(request, f: FollowUp) -> dict:
    return {
        "id": f.pk,
        "url": api_url(request, "followups", f.pk),
        "commitment": ref(request, "commitments", f.commitment) if f.commitment_id else None,
        "action": {"name": f.action.title, "action_plan": action_plan_ref(request, f.action.plan)}
        if f.action_id
        else None,
        "period_kind": f.period_kind,
        "period_end": f.period_end,
        "status": f.status,
        "progress": f.progress,
        "narrative": f.narrative,
        "reason": f.reason,
        "source": f.source,
        "source_url": f.source_url or None,
        "verified_on": f.verified_on,
        "superseded_by": ref(request, "decisions", f.superseded_by) if f.superseded_by_id else None,
        "evidence": [{"name": e.title, "url": e.url} for e in f.evidence_links.all()],
    }


def action_plan_data(request, p: ActionPlan, *, detail=False) -> dict:
    data = {
        "id": p.pk,
        "url": api_url(request, "action-plans", p.pk),
        "web": web_url(request, p),
        "name": p.title,
        "body": ref(request, "bodies", p.body),
        "decision": ref(request, "decisions", p.decision),
        "responsible_organization": ref(request, "organs", p.responsible_organ),
        "start_date": p.period_start,
        "end_date": p.period_end,
        "target_year": p.target_year,
    }
    if detail:
        data |= {
            "description": p.description,
            "goals": [g.text for g in p.goals.all()],
            "actions": [
                {
                    "name": a.title,
                    "owner": ref(request, "organs", a.owner),
                    "partners": a.partners,
                    "start_date": a.starts_on,
                    "end_date": a.ends_on,
                    "followups": [followup_data(request, f) for f in a.published_followups],
                }
                for a in p.actions.all()
            ],
            "commitments": [ref(request, "commitments", c) for c in p.commitments.all()],
        }
    return data


# --- querysets -------------------------------------------------------------------------------


def commitments_for_list():
    return (
        Commitment.objects.published()
        .with_public_plan()
        .select_related("body", "responsible_organ", "decision__meeting__organ", "action_plan")
    )


def indicators_with_measurements():
    return (
        public_indicators()
        .select_related("body")
        .prefetch_related(
            Prefetch(
                "measurements",
                queryset=Measurement.objects.order_by("year", "measured_on", "sort_order"),
            )
        )
    )


def followups_for_list():
    return (
        FollowUp.objects.published()
        .select_related("commitment", "action__plan", "superseded_by__meeting__organ")
        .prefetch_related("evidence_links")
    )


def action_plans_for_list():
    return ActionPlan.objects.published().select_related(
        "body", "decision__meeting__organ", "responsible_organ"
    )


def own_followups(request, followups):
    """The follow-ups of the site's municipality (of its commitments or its action plans)."""
    body_id = request_body_id(request)
    if body_id is None:
        return followups
    return followups.filter(Q(commitment__body=body_id) | Q(action__plan__body=body_id))


# --- endpoints -------------------------------------------------------------------------------

CommitmentParams = filter_params_schema(CommitmentFilter)


@router.get(
    "/commitments",
    url_name="commitments",
    tags=["follow-up"],
    summary="Published commitments, filtered like the tracker",
)
def list_commitments(request, params: Query[CommitmentParams]):
    commitments = filtered(CommitmentFilter, request, params, commitments_for_list())
    return paginated(request, params, COMMITMENT_KEYSET, commitments, commitment_data)


@router.get(
    "/commitments/{int:commitment_id}",
    url_name="commitments-detail",
    tags=["follow-up"],
    summary="One commitment with indicators and follow-ups",
)
def get_commitment(request, commitment_id: int):
    commitment = get_object_or_404(own(request, commitments_for_list()), pk=commitment_id)
    return {
        **commitment_data(request, commitment),
        "co_responsible": [ref(request, "organs", o) for o in commitment.co_responsible.all()],
        "areas": [{"name": a.name, "slug": a.slug} for a in commitment.areas.all()],
        "indicators": [
            indicator_data(request, i)
            for i in indicators_with_measurements().filter(commitments=commitment)
        ],
        "followups": [
            followup_data(request, f)
            for f in followups_for_list()
            .filter(commitment=commitment)
            .order_by("-period_end", "-id")
        ],
    }


@router.get(
    "/action-plans", url_name="action-plans", tags=["follow-up"], summary="Published action plans"
)
def list_action_plans(request, params: Query[PageParams]):
    plans = scoped(request, params, action_plans_for_list())
    return paginated(request, params, BY_ID, plans, action_plan_data)


@router.get(
    "/action-plans/{int:plan_id}",
    url_name="action-plans-detail",
    tags=["follow-up"],
    summary="One action plan: goals, actions, follow-ups",
)
def get_action_plan(request, plan_id: int):
    plan = get_object_or_404(
        own(request, action_plans_for_list()).prefetch_related(
            "goals",
            Prefetch("commitments", queryset=Commitment.objects.published()),
            Prefetch(
                "actions__followups",
                queryset=followups_for_list().order_by("-period_end", "-id"),
                to_attr="published_followups",
            ),
            "actions__owner",
        ),
        pk=plan_id,
    )
    return action_plan_data(request, plan, detail=True)


@router.get(
    "/indicators",
    url_name="indicators",
    tags=["follow-up"],
    summary="Indicators with baseline, target and measurements",
)
def list_indicators(request, params: Query[PageParams]):
    indicators = scoped(request, params, indicators_with_measurements())
    return paginated(request, params, BY_ID, indicators, indicator_data)


@router.get(
    "/indicators/{int:indicator_id}",
    url_name="indicators-detail",
    tags=["follow-up"],
    summary="One indicator",
)
def get_indicator(request, indicator_id: int):
    return indicator_data(
        request, get_object_or_404(own(request, indicators_with_measurements()), pk=indicator_id)
    )


@router.get(
    "/followups",
    url_name="followups",
    tags=["follow-up"],
    summary="Published follow-ups, newest period first",
)
def list_followups(request, params: Query[PageParams]):
    followups = followups_for_list()
    body = body_param(request, params)
    if body:
        followups = followups.filter(Q(commitment__body=body) | Q(action__plan__body=body))
    return paginated(request, params, FOLLOWUP_KEYSET, followups, followup_data)


@router.get(
    "/followups/{int:followup_id}",
    url_name="followups-detail",
    tags=["follow-up"],
    summary="One follow-up",
)
def get_followup(request, followup_id: int):
    return followup_data(
        request, get_object_or_404(own_followups(request, followups_for_list()), pk=followup_id)
    )
