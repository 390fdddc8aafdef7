"""Admin choosers ask `published()` for users who may not edit that kind of record."""

import pytest
from django.urls import reverse

from tests.factories import DecisionFactory, MotionFactory
from tests.records import grant, staff_member

pytestmark = pytest.mark.django_db

CHOOSE = "wagtailsnippetchoosers_motions_decision:choose_results"
CHOSEN = "wagtailsnippetchoosers_motions_decision:chosen"


@pytest.fixture
def officer():
    """May edit commitments (and so pick their decision) but not decisions."""
    user = staff_member("handlaggare", "Handläggare", ["change_commitment"])
    return user


@pytest.fixture
def decisions():
    published = DecisionFactory(title="Beslut om lekplatser zzpublished")
    draft = DecisionFactory(
        motion=MotionFactory(body=published.body),
        title="Beslut i utkast zzdraftdecision",
        publish=False,
    )
    return published, draft


def test_a_user_who_may_not_edit_decisions_chooses_among_published_ones(client, officer, decisions):
    published, draft = decisions
    grant(officer, published.body)
    client.force_login(officer)
    html = client.get(reverse(CHOOSE)).content.decode()
    assert "zzpublished" in html
    assert "zzdraftdecision" not in html
    assert client.get(reverse(CHOSEN, args=[draft.pk])).status_code == 404
    assert client.get(reverse(CHOSEN, args=[published.pk])).status_code == 200


def test_the_secretariat_chooses_among_drafts_too(client, admin_user, decisions):
    client.force_login(admin_user)
    html = client.get(reverse(CHOOSE)).content.decode()
    assert "zzpublished" in html
    assert "zzdraftdecision" in html
