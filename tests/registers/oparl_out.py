"""Helpers for the OParl endpoint's tests: the spec's JSON schemas and a municipality's record
with one of everything the endpoint serves."""

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from jsonschema import Draft7Validator, FormatChecker
from wagtail.documents import get_document_model
from wagtail.models import Collection

from motions import services
from motions.models import DecisionDocument, Membership, MembershipRole, Outcome
from tests.factories import (
    CommitmentFactory,
    DecisionFactory,
    FollowUpFactory,
    MeetingFactory,
    MotionFactory,
    OrganFactory,
    PartyFactory,
    PersonFactory,
    ProposalFactory,
    TermFactory,
)

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas" / "oparl"
BASE = "/oparl/v1.1/"

formats = FormatChecker(formats=())


@formats.checks("url")
def is_url(value) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@formats.checks("date-time")
def is_date_time(value) -> bool:
    return "T" in value and datetime.fromisoformat(value).tzinfo is not None


@formats.checks("date", raises=ValueError)
def is_date(value) -> bool:
    return bool(date.fromisoformat(value))


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.json").read_text())


def validate(obj: dict, name: str) -> None:
    """Validate `obj` against the spec's schema `name`, and every object it embeds against
    the schema its property names (the spec's own "schema" keyword, which JSON Schema ignores)."""
    spec = schema(name)
    errors = sorted(Draft7Validator(spec, format_checker=formats).iter_errors(obj), key=str)
    assert not errors, f"{name} {obj.get('id')}: {[e.message for e in errors]}"
    for key, prop in spec["properties"].items():
        if key not in obj:
            continue
        if "schema" in prop and prop.get("type") == "object":
            validate(obj[key], prop["schema"].removesuffix(".json"))
        if prop.get("type") == "array" and "schema" in prop.get("items", {}):
            for item in obj[key]:
                validate(item, prop["items"]["schema"].removesuffix(".json"))


def oparl_type(obj: dict) -> str:
    return obj["type"].rsplit("/", 1)[-1]


def document(title: str):
    if Collection.get_first_root_node() is None:  # emptied by an earlier transactional test
        Collection.add_root(name="Root")
    return get_document_model().objects.create(
        title=title, file=ContentFile(b"%PDF-1.4 test", name=f"{title}.pdf")
    )


@dataclass
class Record:
    body: object
    term: object
    council: object
    executive: object
    party: object
    person: object
    membership: object
    meeting: object
    motion: object
    referral: object
    proposal: object
    decision: object
    commitment: object
    documents: list


def build_record(body, n: int = 0) -> Record:
    """A motion's whole way: submitted by a member, referred and answered, proposed by the
    executive committee, decided by the council with a commitment and a follow-up, with a
    document at each step. `n` makes several in one municipality."""
    term = TermFactory(body=body) if n == 0 else body.terms.first()
    council = OrganFactory(body=body) if n == 0 else body.organs.get(kind="council")
    executive = (
        OrganFactory(body=body, executive=True) if n == 0 else body.organs.get(kind="executive")
    )
    party, person = PartyFactory(body=body), PersonFactory(body=body)
    membership = Membership.objects.create(
        person=person, organ=council, party=party, term=term, role=MembershipRole.MEMBER
    )
    original, response, appendix = (document(f"{k}-{n}") for k in ("motion", "svar", "underlag"))
    motion = MotionFactory(body=body, person=person, party=party, document=original)
    referral = services.motion_refer(motion=motion, organ=executive, sent_on=date(2024, 3, 1))
    referral = services.referral_register_response(
        referral=referral, answered_on=date(2024, 3, 20), document=response
    )
    proposal = ProposalFactory(motion=motion, organ=executive)
    meeting = MeetingFactory(organ=council, date=date(2024, 6, 1) + timedelta(days=n), title="")
    decision = DecisionFactory(
        motion=motion,
        meeting=meeting,
        decided_on=meeting.date,
        outcomes={1: Outcome.APPROVED, 2: Outcome.REJECTED},
        text="<p>Kommunfullmäktige <b>bifaller</b> första att-satsen.</p>",
    )
    DecisionDocument.objects.create(decision=decision, document=appendix, title="Underlag")
    commitment = CommitmentFactory(decision=decision, responsible_organ=executive, clause_number=1)
    FollowUpFactory(commitment=commitment)
    motion.refresh_from_db()
    return Record(
        body=body,
        term=term,
        council=council,
        executive=executive,
        party=party,
        person=person,
        membership=membership,
        meeting=meeting,
        motion=motion,
        referral=referral,
        proposal=proposal,
        decision=decision,
        commitment=commitment,
        documents=[original, response, appendix],
    )
