"""Reads across several models for the public tracker: summaries, a commitment's whole chain,
an action plan's progress and a party's record. Each runs a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from motions.models import Decision, Motion
from motions.selectors import with_legal_effect

from .charts import bar_chart, line_chart, number
from .models import Commitment
from .status import Status, action_overdue, standing_of


def _counts_table(rows):
    """(label, count) rows plus their total, for the chart and the table beside it."""
    return {"rows": rows, "total": sum(count for _, count in rows)}


def tracker_summary(commitments) -> dict:
    """Published commitments by status, target year and responsible organ: one query."""
    by_status, by_year, by_organ = Counter(), Counter(), Counter()
    for row in commitments.counts():
        by_status[row["current_status"]] += row["n"]
        by_year[row["target_year"]] += row["n"]
        by_organ[row["responsible_organ__name"]] += row["n"]
    status_rows = [(label, by_status[code]) for code, label in Status.choices]
    year_rows = sorted(by_year.items())
    organ_rows = sorted(by_organ.items(), key=lambda row: (-row[1], row[0]))
    status = _counts_table(status_rows)
    return {
        "by_status": status,
        "by_year": _counts_table(year_rows),
        "by_organ": _counts_table(organ_rows),
        "status_chart": bar_chart(
            chart_id="chart-status",
            title=_("Commitments by status"),
            description=", ".join(f"{label}: {count}" for label, count in status_rows),
            rows=[(str(label), count) for label, count in status_rows],
        ),
    }


@dataclass
class IndicatorView:
    indicator: object
    rows: list = field(default_factory=list)  # (label, year, value, source/note)
    chart: str = ""


def indicator_view(indicator, *, chart_id: str) -> IndicatorView:
    """Baseline → measurements → target, as a chart and the same numbers as table rows.
    Uses the prefetched measurements."""
    measurements = list(indicator.measurements.all())
    actual = [(indicator.baseline_year, indicator.baseline_value)] + [
        (m.year, m.value) for m in measurements
    ]
    target = (indicator.target_year, indicator.target_value)
    rows = [(_("Baseline"), indicator.baseline_year, indicator.baseline_value, indicator.source)]
    rows += [
        (_("Measurement"), m.year, m.value, " · ".join(filter(None, [m.source, m.note])))
        for m in measurements
    ]
    rows.append((_("Target"), indicator.target_year, indicator.target_value, ""))
    description = _(
        "From %(baseline)s %(unit)s in %(by)s to a target of %(target)s %(unit)s in %(ty)s."
    ) % {
        "baseline": number(indicator.baseline_value),
        "unit": indicator.unit,
        "by": indicator.baseline_year,
        "target": number(indicator.target_value),
        "ty": indicator.target_year,
    }
    if measurements:
        last = measurements[-1]
        description += " " + _("Latest measurement: %(value)s %(unit)s in %(year)s.") % {
            "value": number(last.value),
            "unit": indicator.unit,
            "year": last.year,
        }
    chart = line_chart(
        chart_id=chart_id,
        title=indicator.title,
        description=description,
        unit=indicator.unit,
        actual=actual,
        target=target,
    )
    return IndicatorView(indicator=indicator, rows=rows, chart=chart)


def motion_commitments(motion, story: dict) -> dict:
    """The motion's published commitments (one query), each also put on the row of the clause
    (att-sats) it comes from in `story` (from `motions.selectors.motion_story`), so the top of
    the motion page can say what each clause led to; those from no one clause are `whole`."""
    commitments = list(
        Commitment.objects.published().for_motion(motion).order_by("target_year", "title")
    )
    rows = {row["number"]: row for row in story["clauses"]}
    whole = []
    for commitment in commitments:
        row = rows.get(commitment.clause_number)
        (row["commitments"] if row else whole).append(commitment)
    return {"commitments": commitments, "whole_decision_commitments": whole}


def commitment_cells(motion_ids) -> dict[int, str]:
    """Each motion's published commitments as the motion exports list them, "title (status)"
    joined by "; ", with the clause each comes from: one query of plain values."""
    labels = dict(Status.choices)
    cells: dict[int, list[str]] = {}
    rows = (
        Commitment.objects.published()
        .filter(decision__motion_id__in=motion_ids)
        .order_by("target_year", "title")
        .values_list("decision__motion_id", "title", "current_status", "clause_number")
    )
    for motion_id, title, status, clause in rows:
        text = f"{title} ({labels.get(status, status)})"
        if clause:
            text = _("Clause %(number)s") % {"number": clause} + ": " + text
        cells.setdefault(motion_id, []).append(text)
    return {motion_id: "; ".join(texts) for motion_id, texts in cells.items()}


def commitment_story(commitment) -> dict:
    """The whole chain for the commitment page, from a published `for_detail()` commitment (no
    queries). Its decision and motion are public with it: `published()` includes its parents."""
    (decision,) = with_legal_effect([commitment.decision])
    motion = decision.motion if decision.motion_id else None
    parties = []
    if motion:
        parties = sorted({s.party.abbreviation for s in motion.submitters.all() if s.party_id})
    return {
        "standing": standing_of(commitment),
        "decision": decision,
        "action_plan": commitment.action_plan if commitment.action_plan_public else None,
        "motion": motion,
        "parties": parties,
        "proposals": motion.published_proposals if motion else [],
        "timeline": commitment.published_followups,
        "indicators": [
            indicator_view(indicator, chart_id=f"indicator-{indicator.pk}")
            for indicator in commitment.indicators.all()
        ],
    }


@dataclass
class ActionRow:
    action: object
    status: str
    status_label: str
    progress: int | None
    overdue: bool
    latest: object


def action_plan_view(plan) -> dict:
    """Actions with their published status and the plan's overall progress (mean of actions)."""
    rows = []
    for action in plan.actions.all():
        latest = action.published_followups[0] if action.published_followups else None
        status = latest.status if latest else Status.NOT_STARTED
        rows.append(
            ActionRow(
                action=action,
                status=status,
                status_label=Status(status).label,
                progress=latest.progress if latest else None,
                overdue=action_overdue(status=status, ends_on=action.ends_on),
                latest=latest,
            )
        )
    progress = round(sum(row.progress or 0 for row in rows) / len(rows)) if rows else 0
    return {"actions": rows, "progress": progress}


def party_motions(body_id, party):
    """A party's published motions, each with its published decisions and their commitments."""
    return (
        Motion.objects.published()
        .for_body(body_id)
        .by_party([party])
        .for_list()
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.published()
                .select_related("meeting__organ")
                .order_by("decided_on", "paragraph")
                .prefetch_related(
                    Prefetch("commitments", queryset=Commitment.objects.published().for_list())
                ),
                to_attr="published_decisions",
            )
        )
    )
