"""Bench data: many published motions written straight to the tables with bulk_create.

This bypasses the services on purpose (100,000 motions through revisions would take hours):
no revisions, no audit log, no search index entries. Status and result are still derived
with `motions.status` and the deadline with `motions.deadlines`, as the services store them. Every
motion is generated from its own index with its own seeded RNG, so a stopped run resumes
where it stopped and two runs produce the same rows.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from motions.deadlines import deadline_for
from motions.models import (
    Body,
    Clause,
    CommitteeProposal,
    Decision,
    DecisionClauseOutcome,
    Meeting,
    Motion,
    MotionKind,
    Organ,
    OrganKind,
    Outcome,
    Party,
    Person,
    ProposedOutcome,
    Referral,
    Submitter,
    Term,
    VoteMethod,
)
from motions.status import derive

BODY_SLUG = "bench"
BODY_NAME = "Benchkommun"
FIRST_YEAR = 2010
YEARS = 16  # submissions 2010 to 2025
COUNCIL_SEATS = 61

PARTIES = [
    ("Socialdemokraterna", "S"),
    ("Moderaterna", "M"),
    ("Sverigedemokraterna", "SD"),
    ("Centerpartiet", "C"),
    ("Vänsterpartiet", "V"),
    ("Kristdemokraterna", "KD"),
    ("Liberalerna", "L"),
    ("Miljöpartiet", "MP"),
]
COMMITTEES = [
    ("Förskolenämnden", "FSN"),
    ("Grundskolenämnden", "GSN"),
    ("Socialnämnden", "SN"),
    ("Tekniska nämnden", "TN"),
    ("Miljö- och konsumentnämnden", "MKN"),
    ("Kulturnämnden", "KN"),
    ("Fritids- och folkhälsonämnden", "FFN"),
    ("Samhällsbyggnadsnämnden", "SBN"),
]
SUBJECTS = [
    "fler cykelbanor",
    "gratis kollektivtrafik för unga",
    "solceller på kommunens tak",
    "en ny simhall",
    "trygghetsvandringar",
    "läxhjälp på biblioteken",
    "ökad grundbemanning i äldreomsorgen",
    "giftfria förskolor",
    "en fritidsbank",
    "belysning i parker",
    "ett ungdomsråd",
    "fler öppna förskolor",
    "sänkt hastighet vid skolor",
    "en handlingsplan mot ensamhet",
    "ekologisk mat i skolan",
    "tillgängliga lekplatser",
    "fler offentliga toaletter",
    "ett kommunalt bostadsbolag för unga",
]
PLACES = [
    "centrum",
    "Norrby",
    "Hässleholmen",
    "Sjöbo",
    "Dalsjöfors",
    "Fristad",
    "Viskafors",
    "Sandared",
]
FIRST_NAMES = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Anders",
    "Sara",
    "Johan",
    "Eva",
    "Ali",
    "Fatima",
    "Per",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
]
# Decided clause outcomes: mostly one outcome for the whole motion, sometimes mixed.
OUTCOME_WEIGHTS = [
    (Outcome.REJECTED, 38),
    (Outcome.ANSWERED, 30),
    (Outcome.APPROVED, 20),
    (Outcome.WRITTEN_OFF, 5),
    (Outcome.WITHDRAWN, 2),
    (None, 5),  # None: mixed per clause
]


@dataclass
class Reference:
    """The bench municipality's organs, parties, people, terms and meeting dates."""

    body: Body
    council: Organ
    executive: Organ
    committees: list[Organ]
    parties: list[Party]
    people: list[tuple[int, int]]  # (person_id, party_id)
    terms: list[Term]
    meetings: dict[int, list[tuple[date, int]]]  # organ_id -> sorted (date, meeting_id)

    def meeting_on_or_after(self, organ: Organ, day: date) -> tuple[date, int] | None:
        for meeting in self.meetings[organ.pk]:
            if meeting[0] >= day:
                return meeting
        return None

    def term_for(self, day: date) -> int | None:
        return next((t.pk for t in self.terms if t.starts_on <= day <= t.ends_on), None)


def bench_body() -> Body | None:
    return Body.objects.filter(slug=BODY_SLUG).first()


def ensure_reference(today: date) -> Reference:
    """Create (once) the bench municipality with its organs, parties, people, terms and meetings."""
    body, _ = Body.objects.get_or_create(slug=BODY_SLUG, defaults={"name": BODY_NAME})

    def organ(name, abbreviation, kind, seats=None):
        return Organ.objects.get_or_create(
            body=body,
            slug=slugify(abbreviation),
            defaults={"name": name, "abbreviation": abbreviation, "kind": kind, "seats": seats},
        )[0]

    council = organ("Kommunfullmäktige", "KF", OrganKind.COUNCIL, COUNCIL_SEATS)
    executive = organ("Kommunstyrelsen", "KS", OrganKind.EXECUTIVE, 13)
    committees = [organ(name, abbr, OrganKind.COMMITTEE, 11) for name, abbr in COMMITTEES]
    parties = [
        Party.objects.get_or_create(
            body=body, slug=slugify(abbr), defaults={"name": name, "abbreviation": abbr}
        )[0]
        for name, abbr in PARTIES
    ]
    if not Person.objects.filter(body=body).exists():
        Person.objects.bulk_create(
            Person(
                body=body, name=f"{first} {last} {n}", slug=f"{slugify(first)}-{slugify(last)}-{n}"
            )
            for n, (first, last) in enumerate(
                ((f, ln) for ln in LAST_NAMES for f in FIRST_NAMES), start=1
            )
        )
    people = list(Person.objects.filter(body=body).order_by("id").values_list("id", flat=True))
    person_party = [(pid, parties[n % len(parties)].pk) for n, pid in enumerate(people)]

    for start in range(FIRST_YEAR - 4, today.year + 1, 4):  # FIRST_YEAR is an election year
        Term.objects.get_or_create(
            body=body, starts_on=date(start, 10, 15), defaults={"ends_on": date(start + 4, 10, 14)}
        )
    terms = list(Term.objects.filter(body=body).order_by("starts_on"))

    wanted = []
    for year in range(FIRST_YEAR, today.year + 3):
        for month in (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12):
            wanted.append(Meeting(organ=council, date=date(year, month, 20), title="Sammanträde"))
            wanted.append(Meeting(organ=executive, date=date(year, month, 5)))
            wanted.extend(Meeting(organ=c, date=date(year, month, 12)) for c in committees)
    Meeting.objects.bulk_create(wanted, ignore_conflicts=True)
    meetings: dict[int, list[tuple[date, int]]] = {}
    for organ_id, day, pk in (
        Meeting.objects.filter(organ__body=body)
        .order_by("date")
        .values_list("organ_id", "date", "id")
    ):
        meetings.setdefault(organ_id, []).append((day, pk))
    return Reference(body, council, executive, committees, parties, person_party, terms, meetings)


@dataclass
class Planned:
    """One motion and its children, before any of them has a primary key."""

    motion: Motion
    clauses: list[Clause]
    submitters: list[Submitter]
    referrals: list[Referral]
    proposal: CommitteeProposal | None
    proposal_outcomes: list[str]
    decisions: list[tuple[Decision, list[str]]]


def _published_at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9)))


def plan_motion(i: int, ref: Reference, today: date) -> Planned:
    rng = random.Random(i)  # noqa: S311 - repeatable test data
    year = FIRST_YEAR + i % YEARS
    submitted_on = date(year, 1, 1) + timedelta(days=rng.randrange(365))
    if submitted_on > today:
        submitted_on = today
    case_number = f"KS {year}-{i // YEARS + 1:05d}"
    kind = rng.choices(
        [MotionKind.MOTION, MotionKind.CITIZEN_PROPOSAL, MotionKind.E_PROPOSAL], [85, 10, 5]
    )[0]
    subject, place = rng.choice(SUBJECTS), rng.choice(PLACES)
    title = f"{'Motion' if kind == MotionKind.MOTION else 'Förslag'} om {subject} i {place}"
    motion = Motion(
        body=ref.body,
        kind=kind,
        case_number=case_number,
        slug=slugify(case_number)[:80],
        title=title,
        text=f"<p>Vi föreslår {subject} i {place}. Behovet har ökat under {year}.</p>",
        submitted_on=submitted_on,
        term_id=ref.term_for(submitted_on),
        live=True,
        has_unpublished_changes=False,
        first_published_at=_published_at(submitted_on),
        last_published_at=_published_at(submitted_on),
    )
    if kind == MotionKind.E_PROPOSAL:
        motion.signature_count = rng.randrange(20, 400)
        motion.signature_threshold = 100 if submitted_on < date(2023, 6, 21) else 150
        motion.signature_window_days = 90

    clause_count = rng.choice([1, 1, 2, 2, 3])
    clauses = [
        Clause(
            sort_order=n,
            text=f"att kommunen utreder {subject} i {place}"
            if n == 0
            else f"att {PLACES[n]} prioriteras",
        )
        for n in range(clause_count)
    ]
    if kind == MotionKind.MOTION:
        signers = rng.sample(ref.people, rng.choice([1, 1, 1, 2]))
        submitters = [
            Submitter(sort_order=n, person_id=p, party_id=party)
            for n, (p, party) in enumerate(signers)
        ]
    else:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        submitters = [
            Submitter(sort_order=0, resident_name=name, resident_email=f"invanare{i}@example.org")
        ]

    raised = ref.meeting_on_or_after(ref.council, submitted_on) if rng.random() < 0.9 else None
    if raised and raised[0] > today:
        raised = None
    motion.raised_at_id = raised[1] if raised else None

    referrals = []
    if raised and rng.random() < 0.8:
        for n, organ in enumerate(rng.sample(ref.committees, rng.choice([1, 1, 2]))):
            sent_on = raised[0] + timedelta(days=7)
            answered_on = sent_on + timedelta(days=rng.randrange(30, 120))
            referrals.append(
                Referral(
                    sort_order=n,
                    organ=organ,
                    sent_on=sent_on,
                    due_on=sent_on + timedelta(days=90),
                    answered_on=answered_on if answered_on <= today else None,
                    response_summary="Nämnden tillstyrker delvis." if answered_on <= today else "",
                )
            )

    decisions: list[tuple[Decision, list[str]]] = []
    proposal, proposal_outcomes = None, []
    decision_meeting = None
    if raised and rng.random() < 0.85:
        meeting = ref.meeting_on_or_after(
            ref.council, submitted_on + timedelta(days=rng.randrange(120, 420))
        )
        if meeting and meeting[0] <= today:
            decision_meeting = meeting
    if decision_meeting:
        common, _ = rng.choices(OUTCOME_WEIGHTS, [w for _, w in OUTCOME_WEIGHTS])[0]
        outcomes = [
            str(common or rng.choice([Outcome.APPROVED, Outcome.REJECTED, Outcome.ANSWERED]))
            for _ in clauses
        ]
        proposal_outcomes = outcomes
        if rng.random() < 0.06:  # sent back once (återremiss) before the final decision
            earlier = ref.meeting_on_or_after(ref.council, decision_meeting[0] - timedelta(days=60))
            if earlier and earlier[1] != decision_meeting[1] and earlier[0] >= raised[0]:
                decisions.append((_decision(i, 1, earlier, motion, ref, rng, "Återremitteras"), []))
        decisions.append(
            (_decision(i, 2, decision_meeting, motion, ref, rng, "Besvarad"), outcomes)
        )
        proposal_day = decision_meeting[0] - timedelta(days=21)
    elif referrals and all(r.answered_on for r in referrals) and rng.random() < 0.4:
        proposal_outcomes = [str(Outcome.ANSWERED)] * len(clauses)
        proposal_day = max(r.answered_on for r in referrals) + timedelta(days=30)
        if proposal_day > today:
            proposal_outcomes = []
    if proposal_outcomes:
        proposal_day = max(proposal_day, submitted_on)
        proposal = CommitteeProposal(
            organ=ref.executive,
            proposed_on=proposal_day,
            paragraph=str(i % 300 + 1),
            text="<p>Kommunstyrelsen föreslår kommunfullmäktige besluta enligt nedan.</p>",
            live=True,
            has_unpublished_changes=False,
            first_published_at=_published_at(proposal_day),
            last_published_at=_published_at(proposal_day),
        )

    derived = derive(
        raised=bool(raised),
        referral_count=len(referrals),
        has_proposal=proposal is not None,
        decision_outcomes=[(d.decided_on, o) for d, o in decisions],
    )
    motion.status, motion.result, motion.decided_on = (
        derived.status,
        derived.result,
        derived.decided_on,
    )
    motion.deadline_on = (
        deadline_for(
            anchor=ref.body.deadline_anchor,
            submitted_on=submitted_on,
            raised_on=raised[0] if raised else None,
        )
        if ref.body.one_year_rule_applies(motion.kind)
        else None
    )
    return Planned(motion, clauses, submitters, referrals, proposal, proposal_outcomes, decisions)


def _decision(i, n, meeting, motion, ref, rng, verb) -> Decision:
    voted = rng.random() < 0.3
    yes = rng.randrange(25, 50) if voted else None
    return Decision(
        body=ref.body,
        meeting_id=meeting[1],
        paragraph=2 * i + n,
        decided_on=meeting[0],
        case_number=motion.case_number,
        title=f"{verb}: {motion.title}"[:300],
        text=f"<p>Kommunfullmäktige beslutar: {verb.lower()}.</p>",
        vote_method=VoteMethod.VOTE if voted else VoteMethod.ACCLAMATION,
        votes_for=yes,
        votes_against=COUNCIL_SEATS - yes - 3 if voted else None,
        votes_abstaining=2 if voted else None,
        votes_absent=1 if voted else None,
        live=True,
        has_unpublished_changes=False,
        first_published_at=_published_at(meeting[0]),
        last_published_at=_published_at(meeting[0]),
    )


@transaction.atomic
def write_chunk(planned: list[Planned]) -> None:
    """Insert one chunk of motions and their children in a single transaction (resumable by count)."""
    Motion.objects.bulk_create([p.motion for p in planned])
    for p in planned:
        for child in (*p.clauses, *p.submitters, *p.referrals):
            child.motion_id = p.motion.pk
        if p.proposal:
            p.proposal.motion_id = p.motion.pk
        for decision, _ in p.decisions:
            decision.motion_id = p.motion.pk
    Clause.objects.bulk_create([c for p in planned for c in p.clauses])
    Submitter.objects.bulk_create([s for p in planned for s in p.submitters])
    Referral.objects.bulk_create([r for p in planned for r in p.referrals])
    with_proposal = [p for p in planned if p.proposal]
    CommitteeProposal.objects.bulk_create([p.proposal for p in with_proposal])
    ProposedOutcome.objects.bulk_create(
        [
            ProposedOutcome(proposal_id=p.proposal.pk, sort_order=n, clause_number=n + 1, outcome=o)
            for p in with_proposal
            for n, o in enumerate(p.proposal_outcomes)
        ]
    )
    decisions = [d for p in planned for d in p.decisions]
    Decision.objects.bulk_create([d for d, _ in decisions])
    DecisionClauseOutcome.objects.bulk_create(
        [
            DecisionClauseOutcome(decision_id=d.pk, sort_order=n, clause_number=n + 1, outcome=o)
            for d, outcomes in decisions
            for n, o in enumerate(outcomes)
        ]
    )


def generate(
    count: int, *, chunk: int = 2000, today: date | None = None, progress=None
) -> tuple[Body, int]:
    """Make sure the bench municipality has `count` motions; returns (body, how many were added)."""
    today = today or timezone.localdate()
    ref = ensure_reference(today)
    start = Motion.objects.filter(body=ref.body).count()
    for first in range(start, count, chunk):
        last = min(first + chunk, count)
        write_chunk([plan_motion(i, ref, today) for i in range(first, last)])
        if progress:
            progress(last, count)
    if count > start:
        analyze()
    return ref.body, max(0, count - start)


def analyze(*models) -> None:
    """Refresh the planner's statistics, as autovacuum would soon after a bulk load.

    Without them PostgreSQL guesses a few rows per table and scans 120,000 submitters
    sequentially for a 25-row prefetch."""
    models = models or (
        Motion,
        Clause,
        Submitter,
        Referral,
        CommitteeProposal,
        ProposedOutcome,
        Decision,
        DecisionClauseOutcome,
        Meeting,
    )
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
