"""A political group member of Borås's party S, signed in on `client`."""

from dataclasses import dataclass

import pytest

from motions.models import Body, Party, RoleKind
from tests.factories import BodyFactory, PartyFactory
from tests.records import grant, staff_member


@dataclass
class Group:
    body: Body
    party: Party
    user: object


def party_group_member(username, body, party, *, email=""):
    user = staff_member(username, "Inloggade", [])
    user.email = email or f"{username}@{body.slug}.example"
    user.save()
    return grant(user, body, RoleKind.PARTY_GROUP, party=party)


@pytest.fixture
def group(db, body):
    party = PartyFactory(body=body, name="Socialdemokraterna", abbreviation="S", slug="s")
    return Group(body, party, party_group_member("boras-s", body, party))


@pytest.fixture
def other_body(db):
    return BodyFactory(name="Västerås stad", slug="vasteras")
