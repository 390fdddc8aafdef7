"""MotionFilter, the one FilterSet behind the motion list page, the exports, the feeds and the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motions.filters import MotionFilter
from motions.models import Motion, Outcome
from tests.factories import (
    DecisionFactory,
    MotionFactory,
    PartyFactory,
    PersonFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db


def ids(params, body=None):
    filterset = MotionFilter(params, queryset=Motion.objects.published(), body=body)
    assert filterset.is_valid(), filterset.errors
    return sorted(m.pk for m in filterset.qs)


def test_deadline_flags(public_site):
    today = timezone.localdate()
    overdue, soon, later = (MotionFactory(body=public_site.body) for _ in range(3))
    decided = DecisionFactory(motion=MotionFactory(body=public_site.body)).motion
    for motion, deadline in ((overdue, -5), (soon, 30), (later, 200), (decided, -5)):
        Motion.objects.filter(pk=motion.pk).update(deadline_on=today + timedelta(days=deadline))
    assert ids({"deadline": "overdue"}) == [overdue.pk]
    assert ids({"deadline": "approaching"}) == [soon.pk]  # the default window is 60 days


def test_outcome_and_organ_follow_the_published_record(public_site):
    approved = MotionFactory(body=public_site.body)
    decision = DecisionFactory(motion=approved, outcomes={1: Outcome.APPROVED, 2: Outcome.REJECTED})
    proposed = MotionFactory(body=public_site.body)
    proposal = ProposalFactory(motion=proposed)
    unpublished = MotionFactory(body=public_site.body)
    DecisionFactory(
        motion=unpublished, outcomes={1: Outcome.APPROVED, 2: Outcome.APPROVED}, publish=False
    )
    assert ids({"outcome": "approved"}) == [approved.pk]
    assert ids({"outcome": "rejected"}) == [approved.pk]
    assert ids({"organ": decision.meeting.organ.slug}) == [approved.pk]
    assert ids({"organ": proposal.organ.slug}) == [proposed.pk]


def test_party_filter_never_repeats_a_motion(public_site):
    party = PartyFactory(body=public_site.body, slug="v")
    motion = MotionFactory(
        body=public_site.body,
        submitters=[
            {"person": PersonFactory(body=public_site.body, slug="a"), "party": party},
            {"person": PersonFactory(body=public_site.body, slug="b"), "party": party},
        ],
    )
    assert ids({"party": "v"}) == [motion.pk]
    assert ids({"submitter": "a"}) == [motion.pk]


def test_other_municipalitys_party_is_not_a_choice(public_site):
    other = PartyFactory(slug="annan")
    filterset = MotionFilter(
        {"party": other.slug}, queryset=Motion.objects.all(), body=public_site.body
    )
    assert not filterset.is_valid()


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=99999",
        "status=nope",
        "submitted_after=2024-02-30",
        "deadline=someday",
        "party=okand",
    ],
)
def test_bad_values_are_form_errors_on_the_html_list(client, public_site, query):
    MotionFactory(body=public_site.body)
    response = client.get(f"/motioner/?{query}")
    assert response.status_code == 200
    assert response.context["filter"].errors
    assert "field--error" in response.content.decode()


def test_html_list_filters_by_text(client, public_site):
    MotionFactory(body=public_site.body, title="Simhall i Borås")
    MotionFactory(body=public_site.body, title="Bibliotek i Norrby")
    html = client.get("/motioner/", {"q": "simhall"}).content.decode()
    assert "Simhall i Borås" in html
    assert "Bibliotek i Norrby" not in html
