"""`manage.py import_oparl` against a real local HTTP server serving a hand-written OParl 1.1
fixture in the spec's shape (tests/registers/fixtures/oparl/)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Revision

from motions.models import (
    Decision,
    Meeting,
    Membership,
    MembershipRole,
    Motion,
    MotionKind,
    MotionResult,
    Organ,
    OrganKind,
    Party,
    Person,
    Term,
)
from registers.models import OparlRecord, OparlSource
from tests.factories import BodyFactory

from .oparl_server import FixtureServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def server():
    with FixtureServer() as server:
        yield server


@pytest.fixture
def town():
    return BodyFactory(name="Exempelstad", slug="exempelstad")


def run(server, *args, body="exempelstad") -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("import_oparl", server.system_url, "--body", body, *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Everything the import may write, as counts and the motions' visible fields."""
    return {
        "counts": [
            m.objects.count()
            for m in (Organ, Party, Person, Term, Membership, Meeting, Motion, Decision, Revision)
        ],
        "motions": list(
            Motion.objects.order_by("case_number").values_list(
                "case_number", "title", "status", "result", "live"
            )
        ),
    }


def test_import_maps_the_fixture_to_our_records(server, town):
    output = run(server)

    organs = {o.abbreviation or o.name: o.kind for o in Organ.objects.filter(body=town)}
    assert organs == {
        "KF": OrganKind.COUNCIL,
        "KS": OrganKind.EXECUTIVE,
        "Socialnämnden": OrganKind.COMMITTEE,
    }
    assert set(Party.objects.filter(body=town).values_list("abbreviation", "name")) == {
        ("M", "Moderaterna"),
        ("S", "Socialdemokraterna"),
    }
    # The German "Wahlperiode" is not a Swedish mandate period: skipped, the other kept.
    assert list(Term.objects.filter(body=town).values_list("starts_on__year", "ends_on__year")) == [
        (2022, 2026)
    ]
    seats = set(
        Membership.objects.filter(person__body=town).values_list(
            "person__name", "organ__abbreviation", "party__abbreviation", "role"
        )
    )
    assert seats == {
        ("Anna Andersson", "KF", "M", MembershipRole.MEMBER),  # party from her faction
        ("Bo Berg", "KS", "S", MembershipRole.CHAIR),  # "Vorsitzender", onBehalfOf
        ("Bo Berg", "KF", "S", MembershipRole.SUBSTITUTE),
    }
    assert Meeting.objects.filter(organ__body=town).count() == 1  # the cancelled one skipped

    motion = Motion.objects.get(body=town, case_number="KS 2024-00017")
    assert motion.live
    assert motion.kind == MotionKind.MOTION
    assert motion.title == "Motion om fler parkbänkar"
    assert [s.display_name for s in motion.submitters.all()] == ["Anna Andersson (M)"]
    assert list(motion.clauses.values_list("text", flat=True)) == ["Motion om fler parkbänkar"]
    assert motion.result == MotionResult.APPROVED
    decision = motion.decisions.get()
    assert (decision.paragraph, decision.meeting.date.isoformat(), decision.live) == (
        12,
        "2024-03-20",
        True,
    )
    assert "bifaller motionen" in decision.text

    proposal = Motion.objects.get(body=town, case_number="KS 2024-00021")
    assert proposal.kind == MotionKind.CITIZEN_PROPOSAL
    # A decision that answers no paper (the budget) is a decision of its own.
    assert Decision.objects.get(body=town, paragraph=13, motion=None).title == "Budget 2025"
    # "Delvis bifall" names no clause: the motion is kept undecided, the decision skipped.
    assert Motion.objects.get(body=town, case_number="KS 2024-00044").result == ""
    assert not Decision.objects.filter(paragraph=14).exists()
    assert not Motion.objects.filter(title__contains="budget 2025").exists()  # Beschlussvorlage
    assert Motion.objects.filter(body=town).count() == 3

    assert "'Beschlussvorlage' is not a motion" in output
    assert "no outcome per clause" in output
    assert "no reference (case number)" in output
    assert "Paper: 3 created, 0 updated, 0 unchanged, 2 skipped" in output
    assert "complete" in output
    # All three pages of papers were read.
    assert "/oparl/v1/body/1/papers?page=3" in server.seen


def test_second_run_changes_nothing_and_a_newer_paper_updates(server, town):
    run(server)
    before = snapshot()
    source = OparlSource.objects.get(body=town)
    assert source.synced_since is not None

    output = run(server)
    assert snapshot() == before
    assert "Paper: 0 created, 0 updated, 3 unchanged, 2 skipped" in output
    # The second run asked only for what changed since the first.
    assert any("modified_since=" in path for path in server.seen[-8:])

    page = server.routes["/oparl/v1/body/1/papers"]
    paper = page["data"][0]
    paper["name"] = "Motion om fler och bättre parkbänkar"
    paper["modified"] = "2025-01-05T12:00:00+01:00"
    output = run(server)

    motion = Motion.objects.get(body=town, case_number="KS 2024-00017")
    assert motion.title == "Motion om fler och bättre parkbänkar"
    assert motion.live
    assert motion.result == MotionResult.APPROVED
    assert motion.revisions.count() == 2  # the import's change is a revision, as an edit is
    assert "Paper: 0 created, 1 updated, 2 unchanged, 2 skipped" in output
    counts = snapshot()["counts"]
    assert counts[:8] == before["counts"][:8]  # nothing new besides the revision


def test_full_ignores_the_marker(server, town):
    run(server)
    run(server, "--full")
    assert not any("modified_since=" in path for path in server.seen)


def test_each_imported_object_is_mapped_once(server, town):
    run(server)
    run(server, "--full")
    ids = list(OparlRecord.objects.values_list("oparl_id", flat=True))
    assert len(ids) == len(set(ids))
    assert OparlRecord.objects.filter(oparl_type="Paper").count() == 3


def test_a_second_body_is_chosen_by_name_or_refused(server, town):
    bodies = server.routes["/oparl/v1/bodies"]
    other = dict(
        bodies["data"][0],
        id=server.base + "/oparl/v1/body/2",
        name="Annanstad",
        shortName="annanstad",
    )
    bodies["data"].append(other)
    BodyFactory(name="Elsewhere", slug="elsewhere")

    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as refused:
        run(server, body="elsewhere")
    assert "Exempelstads kommun" in str(refused.value)
    assert "Annanstad" in str(refused.value)
    assert not Motion.objects.exists()
    assert not OparlSource.objects.exists()

    # Our "exempelstad" matches the first body's shortName.
    run(server)
    assert Motion.objects.filter(body=town).count() == 3
