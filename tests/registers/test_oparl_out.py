"""The OParl 1.1 endpoint as a client walks it: every type valid against the spec's schemas, in a
list and on its own, stable ids, pagination that visits each row once, the time filters, and a
JSON 400 for every bad parameter."""

from datetime import UTC, datetime

import pytest
import time_machine

from motions.models import DataLicence
from tests.factories import BodyFactory, CommitmentFactory, OrganFactory, PartyFactory
from tests.registers.oparl_out import BASE, build_record, oparl_type, validate

pytestmark = pytest.mark.django_db

LISTS = (
    "organization",
    "person",
    "membership",
    "meeting",
    "paper",
    "agendaItem",
    "consultation",
    "file",
    "legislativeTermList",
)
TYPES = {
    "System",
    "Body",
    "LegislativeTerm",
    "Organization",
    "Person",
    "Membership",
    "Meeting",
    "AgendaItem",
    "Paper",
    "Consultation",
    "File",
}


@pytest.fixture(autouse=True)
def _documents_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def walk(client, url, **params) -> list[dict]:
    """Every object of a list, following links.next."""
    rows, page = [], get(client, url, **params)
    while True:
        rows += page["data"]
        if "next" not in page["links"]:
            return rows
        page = get(client, page["links"]["next"])


def test_every_type_validates_in_a_list_and_on_its_own(client, public_site):
    record = build_record(public_site.body)
    system = get(client, BASE)
    validate(system, "System")
    seen = {"System"}
    (body,) = walk(client, system["body"])
    validate(body, "Body")
    assert get(client, body["id"]) == body
    seen.add("Body")
    for term in body["legislativeTerm"]:
        validate(term, "LegislativeTerm")
    for name in LISTS:
        rows = walk(client, body[name])
        assert rows, name
        for row in rows:
            kind = oparl_type(row)
            validate(row, kind)
            single = get(client, row["id"])
            validate(single, kind)
            assert single == row, f"{row['id']} reads differently in its list"
            seen.add(kind)
    assert seen == TYPES
    # What the schemas cannot see: the record's way through the organs, in our fields.
    paper = get(client, f"{body['paper']}")["data"][0]
    assert paper["reference"] == record.motion.case_number
    assert paper["paperType"] == "Motion"
    assert [c["role"] for c in paper["consultation"]] == ["Remiss", "Förslag till beslut", "Beslut"]
    assert [(c["number"], c["proposedOutcome"], c["outcome"]) for c in paper["bs:clauses"]] == [
        (1, "approved", "approved"),
        (2, "approved", "rejected"),
    ]
    (commitment,) = paper["bs:commitments"]
    assert commitment["targetYear"] == 2030
    assert commitment["status"] == "in_progress"
    assert commitment["responsibleOrganization"].endswith(f"/organ/{record.executive.pk}/")
    meeting = get(client, paper["consultation"][2]["meeting"])
    assert meeting["agendaItem"][0]["result"] == "Delvis bifall"
    assert "bs:clauses" in system["bs:extensions"]


def test_ids_are_absolute_and_the_same_on_every_request(client, public_site):
    record = build_record(public_site.body)
    url = f"{BASE}paper/{record.motion.pk}/"
    first, second = get(client, url), get(client, url)
    assert first["id"] == second["id"] == f"http://testserver{url}"
    assert first == second


def test_pagination_visits_every_row_once_and_keeps_the_filters(client, public_site):
    body = public_site.body
    OrganFactory(body=body), OrganFactory(body=body, executive=True)
    for _ in range(3):
        PartyFactory(body=body)
    url = f"{BASE}body/{body.pk}/organization/"
    since = "2000-01-01T00:00:00+01:00"
    first = get(client, url, limit=2, modified_since=since)
    assert first["pagination"] == {
        "totalElements": 5,
        "elementsPerPage": 2,
        "currentPage": 1,
        "totalPages": 3,
    }
    assert "prev" not in first["links"]
    pages, page = [first], first
    while "next" in page["links"]:
        assert "modified_since=" in page["links"]["next"]
        assert "limit=2" in page["links"]["next"]
        page = get(client, page["links"]["next"])
        pages.append(page)
    ids = [row["id"] for p in pages for row in p["data"]]
    assert len(ids) == len(set(ids)) == 5
    assert [p["pagination"]["currentPage"] for p in pages] == [1, 2, 3]
    assert first["links"]["last"] == pages[-1]["links"]["self"]
    assert get(client, pages[-1]["links"]["prev"]) == pages[1]
    assert get(client, pages[1]["links"]["prev"]) == first


def test_the_time_filters_find_what_changed(client, public_site):
    body = public_site.body
    with time_machine.travel(datetime(2026, 2, 10, 12, tzinfo=UTC), tick=False):
        old, untouched = build_record(body), build_record(body, n=1)
    url = f"{BASE}body/{body.pk}/paper/"
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=UTC), tick=False):
        # A new commitment from its decision is a public change to the paper: `modified` moves.
        CommitmentFactory(decision=old.decision, responsible_organ=old.council)
    changed = walk(client, url, modified_since="2026-03-01T00:00:00+01:00")
    assert [p["reference"] for p in changed] == [old.motion.case_number]
    assert changed[0]["modified"] == "2026-03-10T13:00:00+01:00"
    assert len(walk(client, url, modified_until="2026-03-01T00:00:00")) == 1  # Swedish time
    assert len(walk(client, url, created_since="2026-02-10T13:00:00+01:00")) == 2
    assert walk(client, url, created_until="2026-02-10T12:59:59+01:00") == []
    assert walk(client, url, created_since="2027-01-01T00:00:00+01:00") == []
    assert untouched.motion.pk != old.motion.pk


def test_each_body_states_its_licence(client, public_site):
    body = public_site.body
    body.data_licence = DataLicence.CC_BY
    body.save()
    system = get(client, BASE)
    assert system["license"] == "https://creativecommons.org/licenses/by/4.0/"
    data = get(client, f"{BASE}body/{body.pk}/")
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["bs:licence"] == "CC-BY-4.0"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("modified_since=yesterday", "modified_since"),
        ("modified_since=2024-13-01T00:00:00", "modified_since"),
        ("created_since=2024-01-01", "created_since"),  # a date without a time
        ("created_until=2024-01-01T00:00:00 01:00", "created_until"),  # "+" not encoded
        ("modified_until=0001-01-01T00:00:00%2B14:00", "modified_until"),  # before year 1 in UTC
        ("modified_since=9999-12-31T23:59:59-14:00", "modified_since"),  # after 9999 in UTC
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=%D9%A2", "limit"),  # an Arabic-Indic digit
        ("limit=5&limit=50", "limit"),
        ("cursor=%E2%82%AC", "cursor"),
        ("cursor=WzAsIDEuNV0", "cursor"),  # [0, 1.5]
        ("cursor=WzAsIDEwMDAwMDAwMDAwMDAwMDAwMDAwMDAwXQ", "cursor"),  # past bigint
        ("cursor=WzksIDFd", "cursor"),  # a source that does not exist
        ("omit_internal=yes", "omit_internal"),
        ("modified_since=" + "9" * 300, "modified_since"),
        ("modified_since=2024%00", "modified_since"),  # refused before any view runs
    ],
)
def test_a_bad_parameter_is_a_json_400_naming_it(client, public_site, query, parameter):
    response = client.get(f"{BASE}body/{public_site.body.pk}/paper/?{query}")
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["type"] == "https://schema.oparl.org/1.1/Error"
    assert parameter in data["message"]


@pytest.mark.parametrize(
    "path",
    ["paper/99999/", "paper/99999999999999999999999/", "nosuchthing/", "body/1/nothing/"],
)
def test_an_unknown_address_is_a_json_404(client, public_site, path):
    response = client.get(f"{BASE}{path}")
    assert response.status_code == 404
    assert response.json()["type"] == "https://schema.oparl.org/1.1/Error"


def test_only_get_is_answered(client, public_site):
    response = client.post(BASE)
    assert response.status_code == 405
    assert response.json()["type"] == "https://schema.oparl.org/1.1/Error"


def test_a_municipal_site_serves_its_own_municipality_only(client, public_site):
    other = BodyFactory()
    mine, theirs = build_record(public_site.body), build_record(other)
    (body,) = get(client, f"{BASE}body/")["data"]
    assert body["id"].endswith(f"/body/{public_site.body.pk}/")
    assert client.get(f"{BASE}body/{other.pk}/").status_code == 404
    assert client.get(f"{BASE}body/{other.pk}/paper/").status_code == 404
    assert client.get(f"{BASE}paper/{theirs.motion.pk}/").status_code == 404
    assert client.get(f"{BASE}file/{theirs.documents[0].pk}/").status_code == 404
    assert client.get(f"{BASE}paper/{mine.motion.pk}/").status_code == 200
