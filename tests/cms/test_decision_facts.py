"""What a resident sees of a decision: when it can be appealed until, an appeal in court, legal
force, how to appeal; and the top of a motion page, which says what became of each clause."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from cms.models import FollowUpIndexPage
from motions.deadlines import decision_legal_effect, is_working_day
from motions.models import Appeal, AppealResult, Outcome
from tests.factories import (
    CommitmentFactory,
    DecisionFactory,
    MotionFactory,
    PartyFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db

A, R = Outcome.APPROVED, Outcome.REJECTED
# Three weeks after 3 December 2024 is Christmas Eve; the period runs to the next working day.
NOTICE = date(2024, 12, 3)
APPEAL_UNTIL = date(2024, 12, 27)


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def between(content: str, start: str, end: str) -> str:
    return content[content.index(start) : content.index(end, content.index(start))]


@pytest.fixture
def decided(public_site):
    motion = MotionFactory(
        body=public_site.body,
        submitted_on=date(2024, 8, 1),
        clauses=["att bygga en lekplats", "att riva skolan", "att utreda parkering"],
    )
    decision = DecisionFactory(
        motion=motion,
        outcomes={1: A, 2: R, 3: A},
        minutes_approved_on=date(2024, 12, 2),
        notice_posted_on=NOTICE,
    )
    return public_site, motion, decision


def motion_page(client, site, motion) -> str:
    return page(client, f"{site.motions_url}{motion.slug}/")


def test_a_decision_shows_its_dates_and_until_when_it_can_be_appealed(client, decided):
    site, motion, decision = decided
    assert is_working_day(APPEAL_UNTIL)
    content = motion_page(client, site, motion)
    facts = between(content, f'id="decision-{decision.pk}"', "</details>")
    assert '<time datetime="2024-12-02">' in facts  # minutes approved (justerat)
    assert '<time datetime="2024-12-03">' in facts  # notice posted on the anslagstavla
    appeal_until = between(facts, 'class="appeal-until"', "</div>")
    assert "Kan överklagas till och med" in appeal_until
    assert '<time datetime="2024-12-27">' in appeal_until
    # Nobody appealed: legal force the day after the period.
    force = between(facts, 'class="legal-force"', "</div>")
    assert "Har vunnit laga kraft sedan" in force
    assert '<time datetime="2024-12-28">' in force
    # How to appeal: who, to which court, under which law.
    help_text = between(content, 'class="appeal-help"', "</details>")
    assert "kommunmedlem" in help_text
    assert "förvaltningsrätten" in help_text
    assert "13" in help_text


def test_without_a_posted_notice_there_is_no_appeal_date_yet(client, public_site):
    motion = MotionFactory(body=public_site.body)
    decision = DecisionFactory(motion=motion)
    content = motion_page(client, public_site, motion)
    facts = between(content, f'id="decision-{decision.pk}"', "</details>")
    assert 'class="appeal-until"' not in facts
    assert "Har vunnit laga kraft" not in facts


def test_a_pending_appeal_shows_court_and_case_number_and_no_legal_force(client, decided):
    site, motion, decision = decided
    Appeal.objects.create(
        decision=decision,
        court="Förvaltningsrätten i Jönköping",
        case_number="4321-24",
        lodged_on=date(2024, 12, 20),
    )
    content = motion_page(client, site, motion)
    appeal = between(content, 'class="appeal"', "</div>")
    assert "Förvaltningsrätten i Jönköping" in appeal
    assert "4321-24" in appeal
    assert '<time datetime="2024-12-20">' in appeal
    assert "Har vunnit laga kraft" not in content
    assert "Kan överklagas till och med" in content  # the period stays a fact


def test_legal_force_after_a_rejected_appeal_is_the_date_the_rules_give(client, decided):
    site, motion, decision = decided
    Appeal.objects.create(
        decision=decision,
        case_number="99-25",
        lodged_on=date(2024, 12, 20),
        result=AppealResult.REJECTED,
        result_on=date(2025, 3, 10),
        final_on=date(2025, 4, 1),
    )
    effect = decision_legal_effect(decision, today=timezone.localdate())
    assert effect.has_legal_force
    content = motion_page(client, site, motion)
    force = between(content, 'class="legal-force"', "</div>")
    assert "Har vunnit laga kraft sedan" in force
    assert f'<time datetime="{effect.legal_force_on:%Y-%m-%d}">' in force
    assert "99-25" in content


def test_a_commitment_page_shows_its_decision_s_appeal_facts(client, decided):
    site, _motion, decision = decided
    site.home.add_child(
        instance=FollowUpIndexPage(title="Uppföljning", slug="uppfoljning", body=site.body)
    )
    commitment = CommitmentFactory(decision=decision, clause_number=1, slug="lekplats")
    content = page(client, f"/uppfoljning/{commitment.slug}/")
    chain = between(content, 'id="chain-heading"', "</section>")
    assert "Kan överklagas till och med" in chain
    assert '<time datetime="2024-12-27">' in chain
    assert "Har vunnit laga kraft sedan" in chain


def test_the_page_costs_no_query_per_appeal(client, decided, django_assert_max_num_queries):
    """Appeals are prefetched with the decisions: more of them cost nothing more."""
    site, motion, decision = decided
    url = f"{site.motions_url}{motion.slug}/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(3):
        Appeal.objects.create(decision=decision, case_number=f"{n}-24", lodged_on=NOTICE)
    with django_assert_max_num_queries(len(before)):
        client.get(url)


# --- the top of the motion page -----------------------------------------------------------


def summary_of(content: str) -> str:
    return between(content, 'class="motion-summary"', "</section>")


def test_the_top_says_each_clause_s_outcome_and_commitments(client, decided):
    site, motion, decision = decided
    site.home.add_child(
        instance=FollowUpIndexPage(title="Uppföljning", slug="uppfoljning", body=site.body)
    )
    playground = CommitmentFactory(
        decision=decision, clause_number=1, title="Lekplats i Norrby", slug="lekplats"
    )
    content = motion_page(client, site, motion)
    summary = summary_of(content)
    clauses = re.findall(
        r'<li class="summary-clause summary-clause--(\w+)">(.*?)</li>\n', summary, re.S
    )
    assert [stage for stage, _ in clauses] == ["decided", "decided", "decided"]
    first, second, third = (body for _, body in clauses)
    assert 'class="outcome outcome--approved"' in first
    assert f'href="{playground.get_url()}">Lekplats i Norrby</a>' in first
    with translation.override("sv"):
        assert playground.get_current_status_display() in first
    assert "summary-clause__none" not in first
    assert 'class="outcome outcome--rejected"' in second
    assert "summary-clause__none" in second  # "no commitment from this clause"
    assert "summary-clause__none" in third
    # Links down the page, to places that exist.
    for anchor in (f"decision-{decision.pk}", "clause-1", "clauses", "motion-commitments-heading"):
        assert f'href="#{anchor}"' in summary
        assert f'id="{anchor}"' in content
    assert '<time datetime="2024-12-27">' in summary or "Har vunnit laga kraft" in summary
    # The summary comes before the clause list and the timeline.
    assert content.index('class="motion-summary"') < content.index('id="clauses"')


def test_the_top_says_proposed_or_not_decided_before_the_decision(client, public_site):
    proposed = MotionFactory(body=public_site.body, clauses=["att a", "att b"])
    ProposalFactory(motion=proposed, outcomes={1: A, 2: R})
    pending = MotionFactory(body=public_site.body, clauses=["att c"])
    summary = summary_of(motion_page(client, public_site, proposed))
    assert summary.count("summary-clause--proposed") == 2
    assert summary.count("summary-clause__none") == 2
    summary = summary_of(motion_page(client, public_site, pending))
    assert summary.count("summary-clause--pending") == 1
    assert 'href="#decision-' not in summary


# --- the party page ----------------------------------------------------------------------


def test_the_party_page_links_to_its_record_feed_and_downloads(client, public_site):
    public_site.home.add_child(
        instance=FollowUpIndexPage(title="Uppföljning", slug="uppfoljning", body=public_site.body)
    )
    party = PartyFactory(body=public_site.body, slug="kd")
    MotionFactory(body=public_site.body, party=party)
    content = page(client, f"{public_site.motions_url}parti/kd/")
    assert 'href="/uppfoljning/parti/kd/"' in content
    assert 'href="/flode/boras/parti/kd/"' in content
    for name in ("motioner", "ataganden"):
        for fmt in ("csv", "xlsx", "json"):
            assert f'href="/export/boras/{name}.{fmt}?party=kd"' in content
    assert page(client, "/uppfoljning/parti/kd/")
    assert client.get("/flode/boras/parti/kd/").status_code == 200
