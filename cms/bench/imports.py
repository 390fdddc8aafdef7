"""`make bench` part: importing a register file of N motions with clauses, referrals, proposals
and decisions through `registers.importing`, as a secretariat's upload runs. The file is
generated the bench's way (each row from its own seeded RNG) as the semicolon CSV with a BOM
that Swedish Excel saves, and the import runs in a transaction that is rolled back, so a
second run measures the same work. Reports rows per second and the process's peak memory."""

import csv
import io
import random
import resource
import time
from datetime import date, timedelta

from django.db import transaction
from django.utils import translation
from django.utils.text import slugify

from motions.models import Body, Organ, OrganKind, Party
from registers import importing

from .motions import COMMITTEES, FIRST_NAMES, LAST_NAMES, PARTIES, PLACES, SUBJECTS

BODY_SLUG = "bench-import"
OUTCOMES = ["bifalls", "avslås", "anses besvarad"]
# The import's own fields, in this order, headed as the template heads them in Swedish.
COLUMNS = [
    "case_number",
    "kind",
    "title",
    "submitted_on",
    "clauses",
    "submitted_by",
    "raised_on",
    "referrals",
    "proposal_organ",
    "proposed_on",
    "proposal_paragraph",
    "proposed_outcomes",
    "decision_meeting",
    "decision_paragraph",
    "clause_outcomes",
]


def headings() -> list[str]:
    with translation.override("sv"):
        return [str(importing.FIELD_KEYS[key].label) for key in COLUMNS]


class _Rollback(Exception):
    pass


def ensure_body() -> Body:
    body, _ = Body.objects.get_or_create(slug=BODY_SLUG, defaults={"name": "Importkommun"})
    organs = [
        ("Kommunfullmäktige", "KF", OrganKind.COUNCIL),
        ("Kommunstyrelsen", "KS", OrganKind.EXECUTIVE),
    ]
    organs += [(name, abbr, OrganKind.COMMITTEE) for name, abbr in COMMITTEES]
    for name, abbreviation, kind in organs:
        Organ.objects.get_or_create(
            body=body,
            slug=slugify(abbreviation),
            defaults={"name": name, "abbreviation": abbreviation, "kind": kind},
        )
    for name, abbreviation in PARTIES:
        Party.objects.get_or_create(
            body=body,
            slug=slugify(abbreviation),
            defaults={"name": name, "abbreviation": abbreviation},
        )
    return body


def row(i: int) -> list[str]:
    """Motion number i: two in three decided by the council, the rest still in preparation."""
    rng = random.Random(i)  # noqa: S311 - repeatable test data
    year = 2010 + i % 14
    submitted = date(year, 1, 1) + timedelta(days=rng.randrange(300))
    subject, place = rng.choice(SUBJECTS), rng.choice(PLACES)
    clauses = rng.choice([1, 2, 2, 3])
    texts = " ".join(
        f"{n + 1}. att kommunen utreder {subject} i {PLACES[(n + i) % len(PLACES)]}"
        for n in range(clauses)
    )
    members = "; ".join(
        f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} ({rng.choice(PARTIES)[1]})"
        for _ in range(rng.choice([1, 1, 2]))
    )
    raised = submitted + timedelta(days=20)
    sent = raised + timedelta(days=7)
    committee = rng.choice(COMMITTEES)[1]
    cells = [
        f"KS {year}-{i:05d}",
        "motion",
        f"Motion om {subject} i {place}",
        submitted.isoformat(),
        texts,
        members,
        raised.isoformat(),
        f"{committee} {sent.isoformat()} besvarad {(sent + timedelta(days=60)).isoformat()}",
    ]
    if i % 3 == 2:
        return cells + [""] * 7
    outcomes = "; ".join(f"{n + 1}: {rng.choice(OUTCOMES)}" for n in range(clauses))
    proposed = sent + timedelta(days=90)
    decided = proposed + timedelta(days=30)
    return [
        *cells,
        "KS",
        proposed.isoformat(),
        str(100 + i % 200),
        outcomes,
        f"KF {decided.isoformat()}",
        # One § per motion on its meeting: meetings are per day, so the row number is unique.
        str(i + 1),
        outcomes,
    ]


def register_file(count: int) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headings())
    for i in range(count):
        writer.writerow(row(i))
    return out.getvalue().encode("utf-8")


def measure(*, motions: int) -> dict:
    """Seconds, rows per second and peak memory of a dry run and an import of `motions` rows."""
    body = ensure_body()
    content = register_file(motions)
    result = {"rows": motions, "file_bytes": len(content)}
    table = importing.read_table(content, filename="bench.csv")
    mapping = importing.suggest_mapping(table.headings)
    started = time.monotonic()
    plan = importing.plan_import(body=body, table=table, mapping=mapping)
    result["dry_run_seconds"] = round(time.monotonic() - started, 1)
    result["errors"] = [str(e) for e in plan.errors[:5]]
    try:
        with transaction.atomic():
            started = time.monotonic()
            done = importing.run_import(
                body=body, table=table, mapping=mapping, user=None, label="bench.csv"
            )
            seconds = time.monotonic() - started
            result.update(
                seconds=round(seconds, 1),
                rows_per_second=round(motions / seconds, 1),
                created=done.creates,
            )
            raise _Rollback
    except _Rollback:
        pass
    except importing.ImportRefused as refused:
        result["errors"] = [str(e) for e in refused.plan.errors[:5]]
    # The process's peak resident memory (ru_maxrss is in KB on Linux): no tracing overhead.
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result
