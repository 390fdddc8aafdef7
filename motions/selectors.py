"""Reads across several models that are not filters: the story of one motion, and the
submitters of many motions for the exports."""

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry, Revision

from .deadlines import decision_legal_effect
from .models import (
    Clause,
    CommitteeProposal,
    Decision,
    DecisionClauseOutcome,
    Meeting,
    Outcome,
    ProposedOutcome,
    Submitter,
)


@dataclass
class ProposalVersion:
    """One published version, dated by the committee's decision on it (`proposed_on` as that
    revision held it), not by the day someone saved it."""

    number: int
    proposed_on: date | None
    text: str
    outcomes: dict[int, str]
    changed_outcomes: dict[int, tuple[str, str]] = field(default_factory=dict)
    text_changed: bool = False
    text_diff: list[tuple[str, str]] = field(default_factory=list)


# Lifecycle events that add to the story; raising, referrals, proposals and decisions have their own entries.
STORY_EVENT_KINDS = {
    "scheduled",
    "tabled",
    "sent_back",
    "handed_to_committee",
    "reported_undecided",
    "written_off",
    "withdrawn",
    "closed",
    "threshold_reached",
    "lapsed",
}


@dataclass
class TimelineEntry:
    date: date
    kind: str
    title: str
    obj: object = None


def proposal_versions(proposals) -> dict[int, list[ProposalVersion]]:
    """Every published version of each proposal, oldest first, with what changed since the one before.

    Two queries whatever the number of proposals: the publish log entries and their revisions."""
    ids = [str(p.pk) for p in proposals]
    if not ids:
        return {}
    content_type = ContentType.objects.get_for_model(CommitteeProposal)
    published = ModelLogEntry.objects.filter(
        content_type=content_type,
        object_id__in=ids,
        action="wagtail.publish",
        revision__isnull=False,
    ).values("revision_id")
    revisions = Revision.objects.filter(id__in=published).order_by("created_at", "id")
    labels = dict(Outcome.choices)
    versions: dict[int, list[ProposalVersion]] = {}
    for revision in revisions:
        content = revision.content
        outcomes = {
            o["clause_number"]: str(labels.get(o["outcome"], o["outcome"]))
            for o in content.get("outcomes", [])
        }
        history = versions.setdefault(int(revision.object_id), [])
        proposed_on = content.get("proposed_on")
        version = ProposalVersion(
            len(history) + 1,
            date.fromisoformat(proposed_on) if proposed_on else None,
            content.get("text", ""),
            outcomes,
        )
        if history:
            before = history[-1]
            version.changed_outcomes = {
                n: (before.outcomes.get(n, ""), o)
                for n, o in outcomes.items()
                if before.outcomes.get(n) != o
            }
            version.text_changed = strip_tags(before.text) != strip_tags(version.text)
            if version.text_changed:
                version.text_diff = text_diff(before.text, version.text)
        redecided = bool(history) and history[-1].proposed_on != version.proposed_on
        if history and not (version.changed_outcomes or version.text_changed or redecided):
            continue  # republished without a change worth showing
        history.append(version)
    return versions


def _words(html: str) -> list[str]:
    # A paragraph or line break separates words; strip_tags alone would glue "Sjöbo.</p><p>Kommunstyrelsen".
    return strip_tags(re.sub(r"<(?:/p|br|/li|/h[1-6])\b[^>]*>", " ", html)).split()


def text_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Word-level diff of two texts as (op, words) pairs: op is "equal", "delete" or "insert"."""
    a, b = _words(before), _words(after)
    result = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            result.append(("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            result.append(("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            result.append(("insert", " ".join(b[j1:j2])))
    return result


def with_legal_effect(decisions, *, today: date | None = None) -> list:
    """Each decision with `legal_effect` (appeal period, pending appeal, legal force): what a
    resident needs to know to appeal. The appeals of all the decisions are prefetched in one
    query (none when the caller prefetched them), so `decision.appeals.all` costs nothing."""
    today = today or timezone.localdate()
    decisions = list(decisions)
    prefetch_related_objects(decisions, "appeals")
    for decision in decisions:
        decision.legal_effect = decision_legal_effect(
            decision, today=today, appeals=decision.appeals.all()
        )
    return decisions


def clause_row(number: int, clause, proposed=None, decided=None) -> dict:
    """A clause (att-sats) with where it stands: decided, else proposed, else pending.
    `commitments` is filled in by the follow-up tracker (plans.selectors)."""
    stage = "decided" if decided else "proposed" if proposed else "pending"
    return {
        "number": number,
        "clause": clause,
        "proposed": proposed,
        "decided": decided,
        "stage": stage,
        "commitments": [],
    }


def motion_story(motion) -> dict:
    """Everything the public motion page shows, from a motion fetched with `for_detail()`."""
    proposals = list(motion.proposals.all())
    decisions = with_legal_effect(motion.decisions.all())
    versions = proposal_versions(proposals)
    timeline = [TimelineEntry(motion.submitted_on, "submitted", _("Submitted"), motion)]
    if motion.raised_at:
        timeline.append(
            TimelineEntry(
                motion.raised_at.date,
                "raised",
                _("Raised in %(organ)s") % {"organ": motion.raised_at.organ.name},
                motion.raised_at,
            )
        )
    for referral in motion.referrals.all():
        timeline.append(
            TimelineEntry(
                referral.sent_on,
                "referred",
                _("Referred to %(organ)s") % {"organ": referral.organ.name},
                referral,
            )
        )
        if referral.answered_on:
            timeline.append(
                TimelineEntry(
                    referral.answered_on,
                    "answered",
                    _("Response from %(organ)s") % {"organ": referral.organ.name},
                    referral,
                )
            )
    for proposal in proposals:
        proposal.versions = versions.get(proposal.pk, [])
        timeline.append(
            TimelineEntry(
                proposal.proposed_on,
                "proposal",
                _("Proposal from %(organ)s") % {"organ": proposal.organ.name},
                proposal,
            )
        )
    for decision in decisions:
        timeline.append(
            TimelineEntry(
                decision.decided_on,
                "decision",
                _("Decided, § %(paragraph)s") % {"paragraph": decision.paragraph},
                decision,
            )
        )
    # Steps the records above do not show (tabled, sent back, written off ...): one query.
    events = motion.events.filter(kind__in=STORY_EVENT_KINDS).select_related(
        "meeting__organ", "organ"
    )
    for event in events:
        timeline.append(
            TimelineEntry(event.happened_on, event.kind, capfirst(event.get_kind_display()), event)
        )
    timeline.sort(key=lambda entry: entry.date)

    clauses = list(motion.clauses.all())
    latest_proposal = proposals[-1] if proposals else None
    latest_decision = next((d for d in reversed(decisions) if d.clause_outcomes.all()), None)
    proposed = (
        {o.clause_number: o for o in latest_proposal.outcomes.all()} if latest_proposal else {}
    )
    decided = (
        {o.clause_number: o for o in latest_decision.clause_outcomes.all()}
        if latest_decision
        else {}
    )
    clause_rows = [
        clause_row(i, c, proposed.get(i), decided.get(i)) for i, c in enumerate(clauses, start=1)
    ]
    return {
        "timeline": timeline,
        "clauses": clause_rows,
        "proposals": proposals,
        "decisions": decisions,
    }


def motion_story_preview(motion) -> dict:
    """The story of an unsaved or draft motion for the admin preview (no published children needed)."""
    clauses = list(motion.clauses.all())
    return {
        "timeline": [TimelineEntry(motion.submitted_on, "submitted", _("Submitted"), motion)],
        "clauses": [clause_row(i, c) for i, c in enumerate(clauses, 1)],
        "proposals": [],
        "decisions": [],
    }


def submitter_names(motion_ids) -> dict[int, str]:
    """Each motion's submitters joined as the list page shows them ("Anna Andersson (M), ..."),
    in one query of plain values: no Submitter, Person, Party or Organ models are built."""
    parts: dict[int, list[str]] = {}
    rows = (
        Submitter.objects.filter(motion_id__in=motion_ids)
        .order_by("motion_id", "sort_order", "pk")
        .values_list(
            "motion_id", "person__name", "party__abbreviation", "organ__name", "resident_name"
        )
    )
    for motion_id, person, party, organ, resident in rows:
        name = Submitter.name_from(person=person, party=party, organ=organ, resident=resident)
        parts.setdefault(motion_id, []).append(name)
    return {motion_id: ", ".join(names) for motion_id, names in parts.items()}


@dataclass
class DecisionCells:
    """What the motion exports say about a motion's decisions, read as plain values."""

    clause_outcomes: str = ""
    paragraph: str = ""
    meeting: str = ""


def decision_cells(motion_ids) -> dict[int, DecisionCells]:
    """Each motion's clause outcomes as the top of its page gives them (decided, else proposed,
    else not decided) and the § and meeting of its latest published decision. Four queries of
    plain values whatever the number of motions: clauses, decisions, decided and proposed outcomes."""
    labels = dict(Outcome.choices)
    clause_counts: dict[int, int] = {}
    for motion_id in Clause.objects.filter(motion_id__in=motion_ids).values_list(
        "motion_id", flat=True
    ):
        clause_counts[motion_id] = clause_counts.get(motion_id, 0) + 1
    decisions = Decision.objects.published().filter(motion_id__in=motion_ids)
    cells: dict[int, DecisionCells] = {}
    for row in decisions.order_by("decided_on", "paragraph").values(
        "motion_id",
        "paragraph",
        "meeting__date",
        "meeting__organ__abbreviation",
        "meeting__organ__name",
    ):  # the latest decision wins
        cells[row["motion_id"]] = DecisionCells(
            paragraph=str(row["paragraph"]),
            meeting=Meeting.label(
                organ_abbreviation=row["meeting__organ__abbreviation"],
                organ_name=row["meeting__organ__name"],
                date=row["meeting__date"],
            ),
        )
    decided = _latest_outcomes(
        DecisionClauseOutcome.objects.filter(decision__in=decisions).order_by(
            "decision__decided_on", "decision__paragraph", "decision_id"
        ),
        "decision",
    )
    proposed = _latest_outcomes(
        ProposedOutcome.objects.filter(
            proposal__in=CommitteeProposal.objects.published().filter(motion_id__in=motion_ids)
        ).order_by("proposal__proposed_on", "proposal_id"),
        "proposal",
    )
    for motion_id, count in clause_counts.items():
        parts = []
        for number in range(1, count + 1):
            if outcome := decided.get(motion_id, {}).get(number):
                text = _("%(number)s: %(outcome)s (decided)")
            elif outcome := proposed.get(motion_id, {}).get(number):
                text = _("%(number)s: %(outcome)s (proposed)")
            else:
                text = _("%(number)s: not decided yet")
            parts.append(text % {"number": number, "outcome": str(labels.get(outcome, outcome))})
        cells.setdefault(motion_id, DecisionCells()).clause_outcomes = "; ".join(parts)
    return cells


def _latest_outcomes(outcomes, parent: str) -> dict[int, dict[int, str]]:
    """motion id -> {clause number: outcome} of the last `parent` (decision or proposal), in
    the queryset's order, that gives any outcome: as the motion page reads them."""
    found: dict[int, tuple[int, dict[int, str]]] = {}
    for motion_id, parent_id, number, outcome in outcomes.values_list(
        f"{parent}__motion_id", f"{parent}_id", "clause_number", "outcome"
    ):
        if motion_id not in found or found[motion_id][0] != parent_id:
            found[motion_id] = (parent_id, {})
        found[motion_id][1][number] = outcome
    return {motion_id: by_clause for motion_id, (_id, by_clause) in found.items()}
