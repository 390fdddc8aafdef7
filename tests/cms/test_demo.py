"""`manage.py load_demo`: the seed-based demo loads, is safe to run twice, and keeps drafts private."""

import re
from datetime import date
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from wagtail.models import Revision, Site

from cms.demo import illustrative
from cms.models import FollowUpIndexPage, HomePage, MotionIndexPage, PortalPage, SiteSettings
from motions.deadlines import is_working_day, motion_deadline_status
from motions.models import (
    Appeal,
    CommitteeProposal,
    Decision,
    EventKind,
    Meeting,
    Motion,
    MotionEvent,
    MotionKind,
    MotionResult,
    MotionStatus,
    Organ,
    Outcome,
    Referral,
    UndecidedReport,
    WriteOffGround,
)
from plans.models import Commitment, Indicator
from plans.status import Flag, Schedule, Status, standing_of

BORAS_CASE = "KS 2023-01234"


def load_demo(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def row_counts() -> dict[str, int]:
    labels = ("motions", "plans", "cms", "wagtailcore", "auth")
    return {
        m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in labels
    }


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    """Load once for the module (a load takes seconds); each test then runs in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        first_output = load_demo()
        yield first_output
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_loaded, db):
    return _demo_loaded


def test_second_run_creates_nothing_and_admin_gets_a_working_password(demo):
    assert "nya poster" in demo
    assert not get_user_model().objects.exists()  # without --admin no user is touched
    counts = row_counts()

    second = load_demo("--admin")

    assert "Inget nytt" in second
    logins = re.findall(r"  user: (\S+)  password: (\S+)  \((.+)\)", second)
    assert row_counts() == {**counts, "auth.User": 1 + len(logins)}
    assert counts["motions.Motion"] >= 45
    assert counts["wagtailcore.Revision"] > counts["motions.Motion"]  # written through the services
    match = re.search(
        r"Admin: http://127\.0\.0\.1:8000/admin/  user: admin  password: (\S+)", second
    )
    assert match
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    assert user.check_password(match.group(1))
    # One user per role in Borås and Västerås, each in the group of the role it is printed with.
    assert {username for username, _password, _group in logins} >= {
        "boras-sekretariat",
        "boras-handlaggare",
        "boras-granskare",
        "vasteras-sekretariat",
    }
    for username, password, group in logins:
        member = get_user_model().objects.get(username=username)
        assert member.check_password(password)
        assert not member.is_superuser
        assert member.groups.filter(name=group, role__isnull=False).exists()


def test_boras_motion_is_decided_and_approved_after_the_revised_proposal(demo):
    motion = Motion.objects.get(case_number=BORAS_CASE)

    assert motion.live
    assert motion.title == "Inga särskilt utsatta områden ska finnas i Borås!"
    assert (motion.status, motion.result) == (MotionStatus.DECIDED, MotionResult.APPROVED)
    clauses = [c.text for c in motion.clauses.order_by("sort_order")]
    assert len(clauses) == 2
    assert clauses[0].startswith("att Borås Stad inrättar en handlingsplan för Hulta-Hässleholmen")
    assert "Gårdstensmodellen" in clauses[1]
    assert motion.submitters.get().display_name == "Anna Christensen (M)"

    proposal = motion.proposals.get()
    versions = Revision.objects.for_instance(proposal).order_by("created_at", "id")
    assert versions.count() == 2
    first, latest = (v.as_object() for v in versions)
    assert {o.outcome for o in first.outcomes.all()} == {Outcome.ANSWERED}
    assert {o.outcome for o in latest.outcomes.all()} == {Outcome.APPROVED}

    decision = Decision.objects.get(motion=motion)
    assert decision.paragraph == 85
    assert decision.minutes_approved_on is not None
    assert decision.notice_posted_on is not None


def test_boras_seed_facts_are_exact(demo):
    """Seed 001: the motion's text is Kommunstyrelsen's summary of it, the changed proposal sets
    målåret 2030, and the decision is expedited to no one ("Ingen expediering")."""
    motion = Motion.objects.get(case_number=BORAS_CASE)
    assert (
        "där hon föreslår att Borås Stad inrättar en handlingsplan för Hulta-Hässleholmen och en "
        "handlingsplan för Norrby för att inga särskilt utsatta områden ska finnas" in motion.text
    )
    assert "Gårdstensmodellen" in motion.text
    assert motion.submitted_on == date(2023, 12, 21)

    latest = motion.proposals.get().text
    assert (
        "Ett rimligt tidsperspektiv för att nå denna ambition är att sätta målåret till 2030."
        in latest
    )
    assert "Kommunstyrelsen föreslår därför Kommunfullmäktige att motionen bifalles." in latest

    decision = Decision.objects.get(motion=motion)
    assert not decision.dispatched_to.exists()
    assert "Ingen expediering." in decision.text
    assert not decision.party_votes.exists()  # the seed has no vote

    commitment = Commitment.objects.get(decision=decision, clause_number=1)
    assert commitment.target_year == 2030


def test_goteborg_commitment_lies_with_byggnadsnamnden(demo):
    commitment = Commitment.objects.get(body__slug="goteborg")
    assert commitment.responsible_organ.name == "Byggnadsnämnden"
    assert commitment.decision.gives_assignment
    assert not Organ.objects.filter(body__slug="goteborg", name="Stadsbyggnadsnämnden").exists()


def test_no_commitment_comes_from_a_clause_that_was_not_approved(demo):
    for commitment in Commitment.objects.select_related("decision"):
        decision = commitment.decision
        if decision.motion_id is None or decision.gives_assignment:
            continue
        outcomes = {o.clause_number: o.outcome for o in decision.clause_outcomes.all()}
        if commitment.clause_number:
            assert outcomes[commitment.clause_number] == Outcome.APPROVED, commitment
        else:
            assert Outcome.APPROVED in outcomes.values(), commitment


def test_boras_motions_cover_every_status_result_and_kind(demo):
    motions = Motion.objects.filter(body__slug="boras")
    assert motions.count() >= 40
    assert set(motions.values_list("status", flat=True)) == set(MotionStatus.values)
    assert set(motions.values_list("result", flat=True)) == set(MotionResult.values)
    assert set(motions.values_list("kind", flat=True)) == set(MotionKind.values)
    terms = {(m.term.starts_on.year) for m in motions.select_related("term")}
    assert {2018, 2022, 2026} <= terms


def test_boras_commitments_cover_every_status_and_signal(demo):
    commitments = list(Commitment.objects.filter(body__slug="boras").select_related("decision"))
    assert len(commitments) >= 20
    standings = [standing_of(c) for c in commitments]
    assert {s.status for s in standings} == set(Status.values)
    assert {s.schedule for s in standings} == set(Schedule.values)
    assert {f for s in standings for f in s.flags} == set(Flag.values)
    indicators = Indicator.objects.filter(body__slug="boras")
    assert all(i.measurements.count() >= 4 for i in indicators)


def test_deadlines_are_live_an_overdue_and_an_approaching_motion(demo):
    today = timezone.localdate()
    flags = [
        motion_deadline_status(m, today=today)
        for m in Motion.objects.filter(body__slug="boras").select_related("body")
    ]
    assert any(f.overdue and f.needs_report for f in flags)
    assert any(f.approaching for f in flags)
    assert any(f.decided_in_time is False for f in flags)


def test_an_appeal_an_end_of_term_write_off_and_a_report(demo):
    assert Appeal.objects.filter(decision__body__slug="boras", result="").exists()
    write_offs = MotionEvent.objects.filter(
        motion__body__slug="boras", kind=EventKind.WRITTEN_OFF, decision__isnull=False
    )
    end_of_term = write_offs.filter(legal_ground=WriteOffGround.END_OF_TERM)
    assert end_of_term.count() >= 2
    assert end_of_term.first().happened_on == date(2022, 9, 22)  # the last KF of the term
    assert write_offs.filter(legal_ground=WriteOffGround.REPORTED_UNDECIDED).exists()
    assert UndecidedReport.objects.filter(body__slug="boras", issued_at__isnull=False).exists()


def test_every_date_is_a_working_day_and_the_council_meets_on_thursdays(demo):
    days = [
        *Meeting.objects.values_list("date", flat=True),
        *Motion.objects.values_list("submitted_on", flat=True),
        *MotionEvent.objects.values_list("happened_on", flat=True),
        *CommitteeProposal.objects.values_list("proposed_on", flat=True),
        *Referral.objects.values_list("sent_on", flat=True),
        *Decision.objects.values_list("minutes_approved_on", flat=True),
        *Decision.objects.values_list("notice_posted_on", flat=True),
        *Appeal.objects.values_list("lodged_on", flat=True),
    ]
    assert [day for day in days if day and not is_working_day(day)] == []
    council = Meeting.objects.filter(organ__body__slug="boras", organ__kind="council")
    assert {m.date.weekday() for m in council} == {3}


def test_every_illustrative_record_says_so(demo):
    boras = Motion.objects.filter(body__slug="boras").exclude(case_number=BORAS_CASE)
    assert all(illustrative.MARK in m.text for m in boras), [
        m.title for m in boras if illustrative.MARK not in m.text
    ]
    decisions = Decision.objects.exclude(motion__case_number=BORAS_CASE)
    assert all("llustrativ" in d.text for d in decisions)
    slugs = [row[0] for row in illustrative.COMMITMENTS]
    for commitment in Commitment.objects.filter(slug__in=slugs):
        assert illustrative.MARK in commitment.description
        assert all(illustrative.FOLLOWUP_MARK in f.source for f in commitment.followups.all())


def test_decisions_without_a_motion_are_loaded_for_the_plans(demo):
    titles = set(Decision.objects.filter(motion=None).values_list("title", flat=True))
    assert {"Program för social hållbarhet", "Samhällskontrakt för minskad utsatthet"} <= titles


def test_draft_motion_is_not_live_and_not_public(demo, client):
    draft = Motion.objects.get(title__startswith="Utkastmotion hemlig")
    assert not draft.live

    listing = client.get("/boras/motioner/")  # Borås on the portal's path fallback
    detail = client.get(f"/boras/motioner/{draft.slug}/")

    assert listing.status_code == 200
    assert "Utkastmotion hemlig" not in listing.content.decode()
    assert detail.status_code == 404


def test_resident_contact_details_never_reach_the_public_page(demo, client):
    proposal = Motion.objects.get(kind="e_proposal", case_number="KS 2026-00187")
    submitter = proposal.submitters.get()

    url = urlsplit(proposal.get_url())  # on the municipality's own site
    page = client.get(url.path, HTTP_HOST=url.netloc).content.decode()

    assert submitter.resident_email
    assert submitter.resident_phone
    assert submitter.resident_email not in page
    assert submitter.resident_phone not in page


def test_a_portal_and_a_site_of_each_municipality_with_its_own_footer_pages(demo, client):
    portal = Site.objects.get(is_default_site=True)
    assert type(portal.root_page.specific) is PortalPage
    listing = client.get("/").content.decode()
    for slug in ("boras", "vasteras", "stenungsund", "kungalv", "goteborg", "botkyrka"):
        site = Site.objects.get(hostname=f"{slug}.localhost")
        home = site.root_page.specific
        assert type(home) is HomePage
        assert home.body.slug == slug
        assert home.get_parent().pk == portal.root_page_id
        assert f'href="/{slug}/"' in listing

        settings = SiteSettings.for_site(site)
        assert settings.organisation_name == home.body.name
        assert settings.controller == f"Kommunstyrelsen i {home.body.name}"
        assert settings.accessibility_page.get_parent().pk == home.pk
        assert settings.accessibility_page.live
        assert settings.accessibility_page.compliance == "partial"
        assert settings.privacy_page.get_parent().pk == home.pk
        assert FollowUpIndexPage.objects.child_of(home).live().exists()

        statement = client.get(f"/{slug}/tillganglighet/").content.decode()
        assert "https://www.digg.se/tdosanmalan" in statement
        assert home.body.name in statement
        privacy = client.get(f"/{slug}/personuppgifter/").content.decode()
        assert "6.1 e" in privacy
        assert f"Kommunstyrelsen i {home.body.name} är personuppgiftsansvarig" in privacy
        assert f"<title>Personuppgifter – {home.body.name}</title>" in privacy
    assert MotionIndexPage.objects.child_of(HomePage.objects.get(body__slug="boras")).exists()


def test_the_demo_prints_how_to_reach_each_municipality(demo):
    assert "Borås Stad: http://localhost:8000/boras/  eller  http://boras.localhost:8000/" in demo
    assert "Västerås stad: http://localhost:8000/vasteras/" in demo
