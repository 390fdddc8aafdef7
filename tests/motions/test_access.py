"""The admin's access rule (`motions.access`): the secretariat and auditors reach their own
municipality's records, an officer its organ's follow-ups, nobody without a role anything."""

import pytest
from django.contrib.auth import get_user_model

from motions import access
from motions.models import Motion, Organ, RoleKind
from plans.models import Commitment, FollowUp
from tests.factories import FollowUpFactory, MotionFactory, OrganFactory
from tests.records import grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_municipalities():
    """Two municipalities, each with a motion and a published follow-up on a commitment."""
    own, other = FollowUpFactory(), FollowUpFactory()
    MotionFactory(body=own.commitment.body, title="Egen motion")
    MotionFactory(body=other.commitment.body, title="Annan motion")
    return own, other


def user(name):
    return get_user_model().objects.create_user(name, password="x")


@pytest.mark.parametrize("kind", [RoleKind.SECRETARIAT, RoleKind.AUDITOR])
def test_the_secretariat_and_auditors_reach_their_own_municipality_only(two_municipalities, kind):
    own, other = two_municipalities
    body = own.commitment.body
    secretary = grant(user("sekreterare"), body, kind)
    assert set(access.visible(secretary, Motion.objects.all())) == set(
        Motion.objects.filter(body=body)
    )
    assert list(access.visible(secretary, FollowUp.objects.all())) == [own]
    assert access.reaches(secretary, own.commitment)
    assert not access.reaches(secretary, other.commitment)
    assert not access.reaches(secretary, other.commitment.body)


def test_an_officer_reaches_only_its_organs_commitments_and_follow_ups(two_municipalities):
    own, _other = two_municipalities
    organ = own.commitment.responsible_organ
    elsewhere = FollowUpFactory(
        commitment__decision=own.commitment.decision,
        commitment__responsible_organ=OrganFactory(body=organ.body, name="Tekniska nämnden"),
    )
    officer = grant(user("handlaggare"), organ.body, RoleKind.OFFICER, organ=organ)
    assert list(access.visible(officer, FollowUp.objects.all())) == [own]
    assert list(access.visible(officer, Commitment.objects.all())) == [own.commitment]
    assert not access.reaches(officer, elsewhere)
    # An officer is no secretary: the municipality's motions and organs are out of reach.
    assert not access.visible(officer, Motion.objects.all()).exists()
    assert not access.visible(officer, Organ.objects.all()).exists()


def test_a_political_group_and_a_user_without_a_role_reach_no_record(two_municipalities):
    own, _other = two_municipalities
    body = own.commitment.body
    group = grant(
        user("s-gruppen"),
        body,
        RoleKind.PARTY_GROUP,
        party=own.commitment.decision.motion.submitters.first().party,
    )
    for someone in (group, user("utan-roll")):
        assert not access.visible(someone, Motion.objects.all()).exists()
        assert not access.visible(someone, FollowUp.objects.all()).exists()


def test_roles_in_two_municipalities_add_up(two_municipalities):
    own, other = two_municipalities
    regional = grant(user("region"), own.commitment.body)
    assert not access.sees_many_bodies(regional)
    grant(regional, other.commitment.body, RoleKind.AUDITOR)
    assert set(access.visible(regional, FollowUp.objects.all())) == {own, other}
    assert access.sees_many_bodies(regional)


def test_the_reach_is_read_once_per_user(two_municipalities, django_assert_num_queries):
    own, _other = two_municipalities
    secretary = grant(user("sekreterare"), own.commitment.body)
    access.reach(secretary)
    with django_assert_num_queries(0):
        access.reach(secretary)
