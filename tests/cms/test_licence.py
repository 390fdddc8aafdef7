"""Every download, feed and API answer states its municipality's licence (REQ-OPEN-01), and
follows the municipality's setting when the secretariat changes it."""

import csv
import io
import json
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from cms import licences
from motions.models import DataLicence
from tests.factories import CommitmentFactory, DecisionFactory, FollowUpFactory, MotionFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CC0 = '<https://creativecommons.org/publicdomain/zero/1.0/>; rel="license"'
CC_BY = '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'


def content(response) -> bytes:
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def choose(body, licence):
    """As the secretariat does in the admin (Organisation → Kommuner)."""
    body.data_licence = licence
    body.save()


@pytest.fixture
def record(public_site):
    motion = MotionFactory(body=public_site.body, title="Belysning i Hulta")
    commitment = CommitmentFactory(decision=DecisionFactory(motion=motion))
    FollowUpFactory(commitment=commitment)
    return motion, commitment


# --- downloads ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["motioner", "ataganden"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_every_download_names_the_licence_in_a_link_header(client, record, name, fmt):
    body = record[0].body
    response = client.get(f"/export/boras/{name}.{fmt}")
    content(response)
    assert response["Link"] == CC0
    choose(body, DataLicence.CC_BY)
    response = client.get(f"/export/boras/{name}.{fmt}")
    content(response)
    assert response["Link"] == CC_BY


def test_the_csv_keeps_only_the_heading_and_the_rows(client, record):
    """The licence travels in the header alone: the file imports back as it is."""
    text = content(client.get("/export/boras/motioner.csv")).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][1] == "Belysning i Hulta"
    assert "creativecommons" not in text


def test_the_json_download_has_the_licence_beside_the_rows(client, record):
    data = json.loads(content(client.get("/export/boras/motioner.json")))
    assert data["license"] == DataLicence.CC0.url
    assert [row["title"] for row in data["data"]] == ["Belysning i Hulta"]
    choose(record[0].body, DataLicence.CC_BY)
    data = json.loads(content(client.get("/export/boras/motioner.json")))
    assert data["license"] == DataLicence.CC_BY.url


def test_the_workbook_names_publisher_and_licence_after_the_data(client, record):
    choose(record[0].body, DataLicence.CC_BY)
    book = load_workbook(io.BytesIO(content(client.get("/export/boras/ataganden.xlsx"))))
    data, about = book.worksheets
    assert book.active.title == data.title  # the rows open first and import back
    assert len(list(data.values)) == 2
    facts = {row[0]: row[1] for row in about.values}
    assert "Borås Stad" in facts.values()
    assert "CC BY 4.0" in facts.values()
    assert DataLicence.CC_BY.url in facts.values()
    assert book.properties.creator == "Borås Stad"
    assert DataLicence.CC_BY.url in book.properties.description
    assert {p.name: p.value for p in book.custom_doc_props.props}["license"] == (
        DataLicence.CC_BY.url
    )


# --- feeds and the calendar ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/flode/boras/motioner/",
        "/flode/boras/beslut/",
        "/flode/boras/uppfoljningar/",
        "motion",
        "commitment",
    ],
)
def test_every_atom_feed_states_its_rights_and_link(client, record, path):
    motion, commitment = record
    path = {
        "motion": f"/flode/boras/motion/{motion.slug}/",
        "commitment": f"/flode/boras/atagande/{commitment.slug}/",
    }.get(path, path)

    def rights():
        response = client.get(path)
        feed = ElementTree.fromstring(content(response))
        return response["Link"], feed.findtext(f"{ATOM}rights")

    link, text = rights()
    assert link == CC0
    assert text == "CC0 1.0 (https://creativecommons.org/publicdomain/zero/1.0/)"
    choose(motion.body, DataLicence.CC_BY)
    link, text = rights()
    assert link == CC_BY
    assert text == "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"


def test_the_calendar_describes_its_licence(client, record):
    def calendar():
        response = client.get("/flode/boras/kalender.ics")
        unfolded = content(response).decode().replace("\r\n ", "")
        [line] = [line for line in unfolded.split("\r\n") if line.startswith("DESCRIPTION:")][:1]
        return response["Link"], line

    link, description = calendar()
    assert link == CC0
    assert "Borås Stad" in description
    assert DataLicence.CC0.url in description
    choose(record[0].body, DataLicence.CC_BY)
    link, description = calendar()
    assert link == CC_BY
    assert DataLicence.CC_BY.url in description


# --- the API --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/motions", "motion", "/api/v1/decisions", "/api/v1/commitments", "commitment"],
)
def test_every_api_answer_states_the_licence(client, record, path):
    motion, commitment = record
    path = {
        "motion": f"/api/v1/motions/{motion.pk}",
        "commitment": f"/api/v1/commitments/{commitment.pk}",
    }.get(path, path)
    response = client.get(path)
    assert (response["Link"], response.json()["license"]) == (CC0, DataLicence.CC0.url)
    choose(motion.body, DataLicence.CC_BY)
    response = client.get(path)
    assert (response["Link"], response.json()["license"]) == (CC_BY, DataLicence.CC_BY.url)


def test_a_list_keeps_its_envelope_and_an_error_states_no_licence(client, record):
    page = client.get("/api/v1/motions").json()
    assert set(page) == {"data", "pagination", "links", "license"}
    missing = client.get("/api/v1/motions/999999")
    assert missing.status_code == 404
    assert "Link" not in missing
    assert "license" not in missing.json()


def test_the_openapi_document_tells_of_the_licence(client, public_site):
    schema = client.get("/api/v1/openapi.json").json()
    assert 'rel="license"' in schema["info"]["description"]
    assert "/dcat.rdf" in schema["info"]["description"]


def test_on_a_portal_each_municipality_states_its_own_and_a_mixed_list_the_strictest(
    client, municipalities
):
    boras, vasteras = municipalities
    choose(vasteras.body, DataLicence.CC_BY)

    def stated(path, host="localhost"):
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200
        return response.json()["license"]

    bodies = {row["short_name"]: row["license"] for row in client.get(
        "/api/v1/bodies", HTTP_HOST="localhost").json()["data"]}  # fmt: skip
    assert bodies == {"boras": DataLicence.CC0.url, "vasteras": DataLicence.CC_BY.url}
    assert stated("/api/v1/motions") == DataLicence.CC_BY.url  # both: the strictest
    assert stated("/api/v1/motions?body=boras") == DataLicence.CC0.url
    assert stated(f"/api/v1/motions/{boras.motion.pk}") == DataLicence.CC0.url
    assert stated(f"/api/v1/motions/{vasteras.motion.pk}") == DataLicence.CC_BY.url
    assert stated("/api/v1/motions", host=boras.host) == DataLicence.CC0.url
    assert stated("/api/v1/motions", host=vasteras.host) == DataLicence.CC_BY.url
    choose(vasteras.body, DataLicence.CC0)
    assert stated("/api/v1/motions") == DataLicence.CC0.url  # all agree


def test_stating_the_licence_costs_the_api_no_query_once_cached(
    client, record, django_assert_num_queries
):
    client.get("/api/v1/motions")  # warms the index-page URLs and the licences
    with django_assert_num_queries(2):  # as tests/api pins it without the licence
        assert client.get("/api/v1/motions?limit=100").json()["license"]


def test_strictest_is_cc_by_as_soon_as_one_municipality_asks_for_attribution():
    assert licences.strictest([]) == DataLicence.CC0
    assert licences.strictest([DataLicence.CC0, DataLicence.CC0]) == DataLicence.CC0
    assert licences.strictest([DataLicence.CC0, DataLicence.CC_BY]) == DataLicence.CC_BY


# --- the pages ------------------------------------------------------------------------------


def test_the_download_links_name_the_licence_and_the_footer_the_catalogue(client, record):
    html = content(client.get("/motioner/")).decode()
    assert 'rel="license">CC0 1.0</a>' in html
    assert f'<a href="{DataLicence.CC0.url}" rel="license">' in html
    assert '<link rel="alternate" type="application/rdf+xml" href="/dcat.rdf"' in html
    assert '<a href="/dcat.rdf" type="application/rdf+xml">' in html
    choose(record[0].body, DataLicence.CC_BY)
    assert 'rel="license">CC BY 4.0</a>' in content(client.get("/motioner/")).decode()
