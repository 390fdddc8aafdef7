"""Reads across several models that are not filters: the story of one motion, and the
submitters of many motions for the exports."""

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry, Revision

from .models import CommitteeProposal, Outcome, Submitter


@dataclass
class ProposalVersion:
    number: int
    published_at: object
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
        version = ProposalVersion(
            len(history) + 1, revision.created_at, content.get("text", ""), outcomes
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
        if history and not version.changed_outcomes and not version.text_changed:
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


def motion_story(motion) -> dict:
    """Everything the public motion page shows, from a motion fetched with `for_detail()`."""
    proposals = list(motion.proposals.all())
    decisions = list(motion.decisions.all())
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
        {"number": i, "clause": c, "proposed": proposed.get(i), "decided": decided.get(i)}
        for i, c in enumerate(clauses, start=1)
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
        "clauses": [
            {"number": i, "clause": c, "proposed": None, "decided": None}
            for i, c in enumerate(clauses, 1)
        ],
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
