"""The open-data catalogue at /dcat.rdf and /dcat.json (REQ-OPEN-02): DCAT-AP-SE that
dataportal.se can harvest, describing only published data, every address of it answering."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pyshacl import validate
from rdflib import RDF, Graph, Literal, URIRef
from rdflib import namespace as ns  # not DCAT itself: pytest probes globals, DCAT warns
from rdflib.compare import isomorphic

from motions.models import DataLicence
from tests.factories import CommitmentFactory, DecisionFactory, FollowUpFactory, MotionFactory

pytestmark = pytest.mark.django_db

SHAPES = Path(__file__).parent.parent / "schemas" / "dcat-ap-se"
GOVE = URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for name in ("dcat-ap_2.1.1_shacl_shapes.ttl", "dcat-ap-se_2.0_additions.ttl"):
        graph.parse(SHAPES / name)
    return graph


def catalogue(client, host=None) -> Graph:
    extra = {"HTTP_HOST": host} if host else {}
    response = client.get("/dcat.rdf", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rdf+xml")
    return Graph().parse(data=response.content, format="xml")


def conforms(graph, shapes) -> tuple[bool, str]:
    ok, _report, text = validate(graph, shacl_graph=shapes, inference="none")
    return ok, text


@pytest.fixture
def published(public_site):
    body = public_site.body
    body.organisation_number = "212000-0000"  # made up for the test
    body.secretariat_email = "kommunkansliet@boras.example"
    body.save()
    motion = MotionFactory(body=body)
    commitment = CommitmentFactory(decision=DecisionFactory(motion=motion))
    FollowUpFactory(commitment=commitment)
    return body


def datasets(graph) -> set[str]:
    return {str(s).rsplit("#", 1)[1] for s in graph.subjects(RDF.type, ns.DCAT.Dataset)}


def test_the_catalogue_conforms_to_dcat_ap_se(client, published, shapes):
    graph = catalogue(client)
    ok, report = conforms(graph, shapes)
    assert ok, report
    assert datasets(graph) == {"boras-motions", "boras-commitments"}


def test_the_shapes_catch_a_dataset_without_publisher(client, published, shapes):
    graph = catalogue(client)
    graph.remove((None, ns.DCTERMS.publisher, None))
    ok, report = conforms(graph, shapes)
    assert not ok
    assert "publisher" in report


def test_a_municipality_without_published_records_still_gets_a_valid_catalogue(
    client, public_site, shapes
):
    MotionFactory(body=public_site.body, publish=False)  # a draft is described nowhere
    graph = catalogue(client)
    ok, report = conforms(graph, shapes)
    assert ok, report
    assert datasets(graph) == set()
    [catalog] = graph.subjects(RDF.type, ns.DCAT.Catalog)
    assert graph.value(catalog, ns.DCTERMS.license) == URIRef(DataLicence.CC0.url)


def test_json_ld_says_what_rdf_xml_says(client, published):
    response = client.get("/dcat.json")
    assert response["Content-Type"].startswith("application/ld+json")
    as_json = Graph().parse(data=response.content, format="json-ld")
    assert isomorphic(as_json, catalogue(client))


def test_publisher_contact_theme_language_and_formats(client, published):
    graph = catalogue(client)
    dataset = URIRef("http://testserver/dcat.rdf#boras-motions")
    publisher = graph.value(dataset, ns.DCTERMS.publisher)
    assert str(graph.value(publisher, URIRef("http://xmlns.com/foaf/0.1/name"))) == "Borås Stad"
    assert graph.value(publisher, ns.DCTERMS.identifier) == Literal("212000-0000")
    contact = graph.value(dataset, ns.DCAT.contactPoint)
    email = graph.value(contact, URIRef("http://www.w3.org/2006/vcard/ns#hasEmail"))
    assert email == URIRef("mailto:kommunkansliet@boras.example")
    assert graph.value(dataset, ns.DCAT.theme) == GOVE
    assert graph.value(dataset, ns.DCTERMS.modified) is not None
    assert {lit.language for lit in graph.objects(dataset, ns.DCTERMS.title)} == {"sv", "en"}
    formats = {
        str(graph.value(d, ns.DCTERMS.format)) for d in graph.objects(dataset, ns.DCAT.distribution)
    }
    assert {"text/csv", "application/json", "application/atom+xml", "text/calendar"} <= formats
    assert "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" in formats


def test_every_address_in_the_catalogue_answers(client, published):
    graph = catalogue(client)
    links = set()
    for predicate in (
        ns.DCAT.accessURL,
        ns.DCAT.downloadURL,
        ns.DCAT.landingPage,
        ns.DCAT.endpointURL,
        ns.DCAT.endpointDescription,
    ):
        links |= {str(o) for o in graph.objects(None, predicate)}
    assert "http://testserver/export/boras/motioner.csv" in links
    assert "http://testserver/api/v1/commitments?body=boras" in links
    for link in sorted(links):
        parts = urlsplit(link)
        assert parts.netloc == "testserver", link  # absolute, on the site being served
        response = client.get(f"{parts.path}?{parts.query}" if parts.query else parts.path)
        assert response.status_code == 200, link


def test_each_distribution_states_the_municipalitys_licence(client, published):
    def licences():
        graph = catalogue(client)
        return {str(o) for d in graph.subjects(RDF.type, ns.DCAT.Distribution)
                for o in graph.objects(d, ns.DCTERMS.license)}  # fmt: skip

    assert licences() == {DataLicence.CC0.url}
    published.data_licence = DataLicence.CC_BY
    published.save()
    assert licences() == {DataLicence.CC_BY.url}


def test_a_municipalitys_site_describes_only_its_own_and_the_portal_all(
    client, municipalities, shapes
):
    boras, _vasteras = municipalities
    own = catalogue(client, host=boras.host)
    assert datasets(own) == {"boras-motions", "boras-commitments"}
    portal = catalogue(client, host="localhost")
    assert datasets(portal) == {
        "boras-motions",
        "boras-commitments",
        "vasteras-motions",
        "vasteras-commitments",
    }
    ok, report = conforms(portal, shapes)
    assert ok, report
    publishers = {str(o) for o in portal.objects(None, ns.DCTERMS.publisher)}
    assert len(publishers) == 3  # the portal's organisation and each municipality


@pytest.mark.parametrize("count", [1, 8])
def test_the_catalogue_costs_a_fixed_number_of_queries(
    client, public_site, django_assert_num_queries, count
):
    for _ in range(count):
        motion = MotionFactory(body=public_site.body)
        CommitmentFactory(decision=DecisionFactory(motion=motion))
    client.get("/dcat.json")  # warms the cached site map and index-page URLs
    with django_assert_num_queries(3):  # the municipality, and who has motions, commitments
        response = client.get("/dcat.json")
    assert response.status_code == 200
