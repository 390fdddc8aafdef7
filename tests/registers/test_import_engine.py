"""Importing a register from CSV and XLSX: what a secretariat sees in the dry run, what the
commit writes through the services, and that a second import of the same file changes nothing."""

from datetime import date

import pytest
from wagtail.models import ModelLogEntry, Revision

from motions.models import Motion, MotionKind, MotionStatus, Outcome
from plans.models import Commitment
from plans.status import Status
from registers import importing
from tests.factories import FollowUpFactory
from tests.registers.import_data import (
    DECIDED,
    HEADINGS,
    SUBMITTED,
    csv_bytes,
    register_body,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipality(body):
    return register_body(body)


def plan_of(body, content, filename="register.csv", mapping=None):
    table = importing.read_table(content, filename=filename)
    return importing.plan_import(
        body=body, table=table, mapping=mapping or importing.suggest_mapping(table.headings)
    )


def run(body, content, filename="register.csv", **kwargs):
    table = importing.read_table(content, filename=filename)
    return importing.run_import(
        body=body,
        table=table,
        mapping=importing.suggest_mapping(table.headings),
        user=None,
        label=filename,
        **kwargs,
    )


def test_a_register_is_created_then_left_alone_then_updated(municipality):
    content = csv_bytes([DECIDED, SUBMITTED])
    plan = plan_of(municipality, content)
    assert (plan.creates, plan.updates, plan.skips, plan.errors) == (2, 0, 0, [])
    assert not Motion.objects.exists()  # the dry run writes nothing

    done = run(municipality, content)
    assert (done.creates, done.updates, done.skips) == (2, 0, 0)
    motion = Motion.objects.get(case_number="KS 2023-00123")
    assert motion.live
    assert motion.status == MotionStatus.DECIDED
    assert [c.text for c in motion.clauses.all()] == [
        "att kommunen bygger fler cykelbanor",
        "att det återrapporteras",
    ]
    assert [str(s) for s in motion.submitters.all()] == ["Anna Andersson (S)", "Bo Berg (M)"]
    assert motion.raised_at.date == date(2023, 2, 20)
    referral = motion.referrals.get()
    assert (referral.organ.abbreviation, referral.answered_on) == ("SN", date(2023, 5, 2))
    assert motion.proposals.get().paragraph == "112"
    decision = motion.decisions.get()
    assert (decision.paragraph, decision.meeting.organ.abbreviation) == (87, "KF")
    assert {o.clause_number: o.outcome for o in decision.clause_outcomes.all()} == {
        1: Outcome.APPROVED,
        2: Outcome.REJECTED,
    }
    commitment = Commitment.objects.get()
    assert (commitment.clause_number, commitment.target_year, commitment.live) == (1, 2025, True)
    proposal = Motion.objects.get(case_number="KS 2024-00007")
    assert proposal.kind == MotionKind.CITIZEN_PROPOSAL
    assert proposal.submitted_on == date(2024, 3, 4)
    assert proposal.submitters.get().resident_name == "Cecilia Civil"

    revisions, entries = Revision.objects.count(), ModelLogEntry.objects.count()
    again = plan_of(municipality, content)
    assert (again.creates, again.updates, again.skips) == (0, 0, 2)
    run(municipality, content)
    assert (Revision.objects.count(), ModelLogEntry.objects.count()) == (revisions, entries)

    changed = csv_bytes([{**DECIDED, "Rubrik": "Motion om säkra cykelbanor"}, SUBMITTED])
    plan = plan_of(municipality, changed)
    assert (plan.creates, plan.updates, plan.skips) == (0, 1, 1)
    run(municipality, changed, filename="register-v2.csv")
    motion.refresh_from_db()
    assert motion.title == "Motion om säkra cykelbanor"
    assert motion.live
    assert motion.latest_revision.content["title"] == "Motion om säkra cykelbanor"
    entry = ModelLogEntry.objects.filter(action=importing.LOG_ACTION, object_id=str(motion.pk))
    assert entry.latest("timestamp").data["import"] == "register-v2.csv"


def test_xlsx_with_real_date_cells_and_a_comma_csv_without_bom_import_the_same(municipality):
    row = {**SUBMITTED, "Inlämnad": date(2024, 3, 4)}
    assert plan_of(municipality, xlsx_bytes([row]), "register.xlsx").creates == 1
    plain = csv_bytes([SUBMITTED], delimiter=",", bom=False)
    assert plan_of(municipality, plain).creates == 1
    run(municipality, xlsx_bytes([row]), "register.xlsx")
    assert plan_of(municipality, plain).skips == 1


def test_a_new_clause_list_is_published_as_a_revision(municipality):
    run(municipality, csv_bytes([SUBMITTED]))
    changed = {
        **SUBMITTED,
        "Att-satser": "1. att en hundrastgård anläggs\n2. att den har belysning",
    }
    run(municipality, csv_bytes([changed]))
    motion = Motion.objects.get()
    assert [c.text for c in motion.clauses.all()] == [
        "att en hundrastgård anläggs",
        "att den har belysning",
    ]
    assert motion.revisions.count() == 2


def test_the_template_downloads_and_imports_back(municipality):
    content = importing.template_workbook()
    table = importing.read_table(content, filename="mall.xlsx")
    mapping = importing.suggest_mapping(table.headings)
    assert set(mapping.values()) == {f.key for f in importing.FIELDS}
    plan = importing.plan_import(body=municipality, table=table, mapping=mapping)
    assert (plan.creates, plan.errors) == (1, [])
    importing.run_import(body=municipality, table=table, mapping=mapping, user=None, label="mall")
    assert Motion.objects.get().status == MotionStatus.DECIDED


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_sites_own_export_imports_back_unchanged(client, public_site, fmt):
    body = register_body(public_site.body)
    run(body, csv_bytes([DECIDED, SUBMITTED]))
    # A status whose Swedish label has a comma of its own: "Avslutad, inte genomförd".
    FollowUpFactory(
        commitment=Commitment.objects.get(), status=Status.CLOSED_NOT_DONE, reason="Ersatt"
    )
    response = client.get(f"/export/boras/motioner.{fmt}")
    content = b"".join(response.streaming_content)
    revisions, entries = Revision.objects.count(), ModelLogEntry.objects.count()
    plan = plan_of(body, content, f"motioner.{fmt}")
    assert (plan.creates, plan.updates, plan.skips, plan.errors) == (0, 0, 2, [])
    run(body, content, f"motioner.{fmt}")
    assert (Revision.objects.count(), ModelLogEntry.objects.count()) == (revisions, entries)


# --- bad input: the dry run lists every problem, the commit refuses and writes nothing --------


BAD_ROWS = {
    "unknown party": ({"Inlämnad av": "Anna Andersson (XYZ)"}, "Inlämnad av", "XYZ"),
    "unknown organ": ({"Remisser": "Gatunämnden 2023-03-01"}, "Remisser", "Gatunämnden"),
    "future date": ({"Inlämnad": "2999-01-01"}, "Inlämnad", "2999-01-01"),
    "US date": ({"Inlämnad": "4/5/2023"}, "Inlämnad", "4/5/2023"),
    "missing clause": (
        {"Utfall per att-sats": "1: bifalls; 3: avslås"},
        "Utfall per att-sats",
        "3",
    ),
    "no clauses for a new record": ({"Att-satser": ""}, "Att-satser", "att-satser"),
}


@pytest.mark.parametrize("case", BAD_ROWS, ids=list(BAD_ROWS))
def test_a_bad_cell_is_listed_and_refused(municipality, case):
    change, column, words = BAD_ROWS[case]
    content = csv_bytes([SUBMITTED, {**DECIDED, **change}])
    plan = plan_of(municipality, content)
    assert not plan.ok
    assert plan.creates == 1
    assert {(e.row, e.column) for e in plan.errors} == {(3, column)}
    assert words.casefold() in " ".join(e.message for e in plan.errors).casefold()
    with pytest.raises(importing.ImportRefused):
        run(municipality, content)
    assert not Motion.objects.exists()


def test_every_problem_of_a_file_is_listed_at_once(municipality):
    rows = [
        {**DECIDED, "Inlämnad": "2999-01-01"},
        {**SUBMITTED, "Diarienummer": DECIDED["Diarienummer"], "Inlämnad av": "X (Q)"},
    ]
    errors = plan_of(municipality, csv_bytes(rows)).errors
    assert {(e.row, e.column) for e in errors} == {
        (2, "Inlämnad"),
        (3, "Diarienummer"),
        (3, "Inlämnad av"),
    }
    assert "2" in next(e.message for e in errors if e.column == "Diarienummer")


def test_a_missing_required_column_is_reported_on_the_heading_row(municipality):
    headings = [h for h in HEADINGS if h != "Rubrik"]
    plan = plan_of(municipality, csv_bytes([SUBMITTED], headings=headings))
    assert not plan.ok
    assert plan.errors[0].row == 1
    assert "Rubrik" in plan.errors[0].message
    with pytest.raises(importing.ImportRefused):
        run(municipality, csv_bytes([SUBMITTED], headings=headings))


def test_two_columns_on_one_field_are_refused(municipality):
    mapping = importing.suggest_mapping(HEADINGS) | {"Förslag §": "decision_paragraph"}
    errors = importing.check_mapping(mapping)
    (error,) = errors
    assert "Förslag §" in error.message
    assert "Beslut §" in error.message
    table = importing.read_table(csv_bytes([SUBMITTED]), filename="r.csv")
    assert not importing.plan_import(body=municipality, table=table, mapping=mapping).ok
    with pytest.raises(importing.ImportRefused):
        importing.run_import(body=municipality, table=table, mapping=mapping, user=None, label="r")
    assert not Motion.objects.exists()


def test_a_service_refusal_at_commit_rolls_back_every_row(municipality):
    """A motion is decided by the council: the decision service refuses a committee's meeting,
    and the good row before it is not kept either."""
    bad = {**DECIDED, "Beslutssammanträde": "SN 2023-09-25", "Åtaganden (status)": ""}
    with pytest.raises(importing.ImportRefused) as refused:
        run(municipality, csv_bytes([SUBMITTED, bad]))
    (error,) = refused.value.plan.errors
    assert (error.row, error.column) == (3, "Utfall per att-sats")
    assert "fullmäktige" in error.message
    assert not Motion.objects.exists()


def test_a_cancelled_import_leaves_nothing(municipality):
    seen = []
    with pytest.raises(importing.ImportCancelled):
        run(
            municipality,
            csv_bytes([DECIDED, SUBMITTED]),
            progress=lambda done, total: seen.append((done, total)),
            should_stop=lambda: True,
        )
    assert seen == [(2, 2)]
    assert not Motion.objects.exists()


def test_a_file_in_the_wrong_encoding_is_refused_with_how_to_save_it():
    content = csv_bytes([SUBMITTED], encoding="cp1252", bom=False)
    with pytest.raises(importing.ImportFileError, match="UTF-8"):
        importing.read_table(content, filename="register.csv")


@pytest.mark.parametrize("filename", ["register.csv", "register.xlsx"])
def test_ten_megabytes_of_junk_is_refused(filename):
    junk = bytes(range(256)) * (importing.MAX_BYTES // 256)
    with pytest.raises(importing.ImportFileError):
        importing.read_table(junk, filename=filename)
    with pytest.raises(importing.ImportFileError, match="MB"):
        importing.read_table(junk + b"x", filename=filename)
