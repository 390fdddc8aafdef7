"""The open-data catalogue (DOMAIN.md REQ-OPEN-02): `/dcat.rdf` (RDF/XML) and `/dcat.json`
(JSON-LD) describe the site's datasets in DCAT-AP-SE, the Swedish profile of DCAT-AP that
dataportal.se harvests.

One catalogue per site: a municipality's site describes that municipality's datasets and
names it as publisher; a portal describes every municipality's. Each municipality has up to
two datasets, "motions and decisions" and "commitments and follow-ups", listed only once it
has published such a record. Each dataset's distributions are the channels that already
serve it: the CSV, XLSX and JSON downloads, the API (a `dcat:DataService`), the Atom feeds,
the calendar and, where it is installed, the OParl endpoint; each states the municipality's
licence (`cms.licences`).

The graph is built with rdflib, which writes both forms from one graph, so they cannot say
different things. Nodes are hash IRIs under the catalogue's own address (`…/dcat.rdf#…`):
stable as long as the site's address is, with no second URL scheme to keep. A distribution
carries its media type both as DCAT-AP-SE asks (`dct:format` "text/csv") and as DCAT-AP 2
does (`dcat:mediaType` with the IANA IRI): harvesters of either read it."""

from dataclasses import dataclass

from django.http import HttpResponse
from django.urls import NoReverseMatch, Resolver404, path, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from cms import freshness, licences
from cms.api.envelope import api_url
from cms.exports.writers import MEDIA_TYPES
from cms.routing import index_url
from cms.sites import request_body_id, request_site
from motions.models import Body, DataLicence, Motion
from plans.models import Commitment

DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")  # rdflib's own lacks some terms
EU = "http://publications.europa.eu/resource/authority/"
LANGUAGES = {"sv": URIRef(f"{EU}language/SWE"), "en": URIRef(f"{EU}language/ENG")}
THEME_GOVE = URIRef(f"{EU}data-theme/GOVE")  # government and public sector
THEMES = URIRef(f"{EU}data-theme")
PUBLIC = URIRef(f"{EU}access-right/PUBLIC")
LOCAL_AUTHORITY = URIRef("http://purl.org/adms/publishertype/LocalAuthority")
IANA = "http://www.iana.org/assignments/media-types/"
ATOM = "application/atom+xml"
ICAL = "text/calendar"

# JSON-LD terms, so that /dcat.json reads as plain JSON with short keys.
CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "dcatap": str(DCATAP),
    "xsd": str(XSD),
}


@dataclass
class Dataset:
    """One of a municipality's datasets: its key in the IRIs, names (English msgids,
    translated into each catalogue language), keywords and the published records' kind."""

    key: str
    title: str
    description: str
    keywords: tuple[str, ...]
    index_kind: str  # cms.routing's kind, for the landing page


MOTIONS = Dataset(
    "motions",
    gettext_noop("Motions and decisions"),
    gettext_noop(
        "The council's motions, citizen proposals and e-proposals with their clauses, "
        "submitters, referrals, committee proposals and the decisions on them, clause by "
        "clause. Published records only."
    ),
    (gettext_noop("motion"), gettext_noop("decision"), gettext_noop("municipal council")),
    "motion",
)
COMMITMENTS = Dataset(
    "commitments",
    gettext_noop("Commitments and follow-ups"),
    gettext_noop(
        "What the council's decisions commit the municipality to, who is responsible, the "
        "target year, and each follow-up of status and progress. Published records only."
    ),
    (gettext_noop("commitment"), gettext_noop("follow-up"), gettext_noop("municipal council")),
    "commitment",
)


def texts(message: str, **params) -> list[Literal]:
    """`message` in each catalogue language, tagged with it (DCAT-AP-SE asks for both)."""
    out = []
    for code in LANGUAGES:
        with translation.override(code):
            out.append(Literal(_(message) % params if params else _(message), lang=code))
    return out


class CatalogueBuilder:
    """Builds the catalogue graph for one request. Every address is reversed from its route
    name and made absolute with the request's host."""

    def __init__(self, request):
        self.request = request
        self.graph = Graph(bind_namespaces="core")
        for prefix, uri in CONTEXT.items():
            self.graph.bind(prefix, uri)
        self.base = self.absolute(reverse("dcat-rdf"))

    def absolute(self, url: str) -> URIRef:
        return URIRef(self.request.build_absolute_uri(url))

    def node(self, name: str) -> URIRef:
        """A hash IRI inside the catalogue document."""
        return URIRef(f"{self.base}#{name}")

    def add(self, subject, predicate, *objects):
        for obj in objects:
            if obj is not None:
                self.graph.add((subject, predicate, obj))

    # --- the parts ------------------------------------------------------------------------

    def licence(self, licence: DataLicence) -> URIRef:
        iri = URIRef(licence.url)
        self.add(iri, RDF.type, DCTERMS.LicenseDocument)
        return iri

    def agent(self, body: Body) -> URIRef:
        agent = self.node(f"publisher-{body.slug}")
        self.add(agent, RDF.type, FOAF.Agent)
        self.add(agent, FOAF.name, Literal(body.name, lang="sv"))
        self.add(agent, DCTERMS.type, LOCAL_AUTHORITY)
        if body.organisation_number:
            self.add(agent, DCTERMS.identifier, Literal(body.organisation_number))
        return agent

    def contact(self, body: Body) -> URIRef:
        contact = self.node(f"contact-{body.slug}")
        self.add(contact, RDF.type, VCARD.Organization)
        self.add(contact, VCARD.fn, Literal(body.name))
        if body.secretariat_email:
            self.add(contact, VCARD.hasEmail, URIRef(f"mailto:{body.secretariat_email}"))
        return contact

    def distribution(
        self,
        dataset: URIRef,
        name: str,
        *,
        title: str,
        media_type: str,
        url: str,
        licence: URIRef,
        download: bool = False,
        service: URIRef | None = None,
    ):
        dist = self.node(name)
        self.add(dataset, DCAT.distribution, dist)
        self.add(dist, RDF.type, DCAT.Distribution)
        self.add(dist, DCTERMS.title, *texts(title))
        self.add(dist, DCAT.accessURL, self.absolute(url))
        if download:
            self.add(dist, DCAT.downloadURL, self.absolute(url))
        self.add(dist, DCTERMS.format, Literal(media_type))
        self.add(dist, DCAT.mediaType, URIRef(f"{IANA}{media_type}"))
        self.add(dist, DCTERMS.license, licence)
        self.add(dist, DCAT.accessService, service)

    def api_service(self, licence: URIRef) -> URIRef:
        api = self.node("api")
        self.add(api, RDF.type, DCAT.DataService)
        self.add(api, DCTERMS.title, *texts(gettext_noop("Beslutsspår open data API")))
        self.add(
            api,
            DCTERMS.description,
            *texts(
                gettext_noop(
                    "Read-only JSON API of the published records, with cursor paging and "
                    "the filters of the web pages, described in OpenAPI 3."
                )
            ),
        )
        # The list of municipalities: the entry every other resource is linked from (the
        # API has no document at its root).
        self.add(api, DCAT.endpointURL, self.absolute(reverse("api-v1:bodies")))
        self.add(api, DCAT.endpointDescription, self.absolute(reverse("api-v1:openapi-json")))
        self.add(api, DCTERMS.license, licence)
        self.add(api, DCTERMS.accessRights, PUBLIC)
        return api

    def oparl_service(self, licence: URIRef) -> URIRef | None:
        """The OParl 1.1 endpoint, when the installation has one at /oparl/v1.1/."""
        url = oparl_url()
        if url is None:
            return None
        oparl = self.node("oparl")
        self.add(oparl, RDF.type, DCAT.DataService)
        self.add(oparl, DCTERMS.title, *texts(gettext_noop("OParl 1.1 endpoint")))
        self.add(oparl, DCAT.endpointURL, self.absolute(url))
        self.add(oparl, DCTERMS.conformsTo, URIRef("https://oparl.org/spezifikation/"))
        self.add(oparl, DCTERMS.license, licence)
        self.add(oparl, DCTERMS.accessRights, PUBLIC)
        return oparl

    def dataset(self, body: Body, spec: Dataset, *, publisher, modified, services) -> URIRef:
        dataset = self.node(f"{body.slug}-{spec.key}")
        licence = self.licence(licences.licence_of(body))
        self.add(dataset, RDF.type, DCAT.Dataset)
        self.add(dataset, DCTERMS.title, *texts(spec.title))
        self.add(dataset, DCTERMS.description, *texts(spec.description))
        self.add(dataset, DCTERMS.publisher, publisher)
        self.add(dataset, DCAT.contactPoint, self.contact(body))
        self.add(dataset, DCAT.theme, THEME_GOVE)
        self.add(dataset, DCTERMS.language, LANGUAGES["sv"])
        self.add(dataset, DCTERMS.accessRights, PUBLIC)
        self.add(dataset, DCTERMS.modified, modified)
        for keyword in spec.keywords:
            self.add(dataset, DCAT.keyword, *texts(keyword))
        landing = index_url(spec.index_kind, body.pk)
        if landing:
            self.add(dataset, DCAT.landingPage, self.absolute(landing))

        export = "export-motions" if spec is MOTIONS else "export-commitments"
        titles = {
            "csv": gettext_noop("CSV for spreadsheets (semicolon-separated, UTF-8)"),
            "xlsx": gettext_noop("Excel workbook (XLSX)"),
            "json": gettext_noop("JSON download"),
        }
        for fmt, title in titles.items():
            self.distribution(
                dataset,
                f"{body.slug}-{spec.key}-{fmt}",
                title=title,
                media_type=MEDIA_TYPES[fmt],
                url=reverse(export, kwargs={"body": body.slug, "fmt": fmt}),
                licence=licence,
                download=True,
            )
        resource = "motions" if spec is MOTIONS else "commitments"
        self.distribution(
            dataset,
            f"{body.slug}-{spec.key}-api",
            title=gettext_noop("API (JSON, paginated)"),
            media_type="application/json",
            url=api_url(self.request, resource, body=body.slug),
            licence=licence,
            service=services["api"],
        )
        if spec is MOTIONS:
            feeds = {
                "feed-motions": gettext_noop("Atom feed of new motions"),
                "feed-decisions": gettext_noop("Atom feed of new decisions"),
            }
        else:
            feeds = {"feed-followups": gettext_noop("Atom feed of new follow-ups")}
        for route, title in feeds.items():
            self.distribution(
                dataset,
                f"{body.slug}-{route}",
                title=title,
                media_type=ATOM,
                url=reverse(route, kwargs={"body": body.slug}),
                licence=licence,
            )
        if spec is MOTIONS:
            self.distribution(
                dataset,
                f"{body.slug}-calendar",
                title=gettext_noop("Calendar of decision deadlines and target years (iCalendar)"),
                media_type=ICAL,
                url=reverse("feed-calendar", kwargs={"body": body.slug}),
                licence=licence,
            )
            if services.get("oparl") is not None:
                self.distribution(
                    dataset,
                    f"{body.slug}-oparl",
                    title=gettext_noop("OParl 1.1 (Papers, Meetings, Organizations)"),
                    media_type="application/json",
                    url=oparl_url(),
                    licence=licence,
                    service=services["oparl"],
                )
        return dataset

    def build(self) -> Graph:
        own = request_body_id(self.request)
        bodies = list(Body.objects.filter(pk=own) if own else Body.objects.order_by("name"))
        # Which municipalities have published records of each kind: one query per kind.
        scope = {"body_id": own} if own else {}
        with_motions, with_commitments = (
            set(
                model.objects.published()
                .filter(**scope)
                .values_list("body_id", flat=True)
                .distinct()
                .order_by()
            )
            for model in (Motion, Commitment)
        )
        changed = freshness.last_changed()
        modified = Literal(changed.isoformat(), datatype=XSD.dateTime) if changed else None
        catalogue_licence = self.licence(licences.strictest(licences.licence_of(b) for b in bodies))

        catalogue = self.node("catalog")
        self.add(catalogue, RDF.type, DCAT.Catalog)
        if own and bodies:
            publisher = self.agent(bodies[0])
            name = bodies[0].name
        else:
            publisher, name = self.site_agent()
        self.add(
            catalogue, DCTERMS.title, *texts(gettext_noop("Open data from %(name)s"), name=name)
        )
        self.add(
            catalogue,
            DCTERMS.description,
            *texts(
                gettext_noop(
                    "The council's published motions, decisions, commitments and follow-ups "
                    "in %(name)s, from Beslutsspår."
                ),
                name=name,
            ),
        )
        self.add(catalogue, DCTERMS.publisher, publisher)
        self.add(catalogue, DCTERMS.license, catalogue_licence)
        self.add(catalogue, DCTERMS.language, *LANGUAGES.values())
        self.add(catalogue, DCTERMS.modified, modified)
        self.add(catalogue, DCAT.themeTaxonomy, THEMES)
        self.add(catalogue, FOAF.homepage, self.absolute(reverse("wagtail_serve", args=[""])))

        services = {"api": self.api_service(catalogue_licence)}
        services["oparl"] = self.oparl_service(catalogue_licence)
        for body in bodies:
            agent = publisher if own else self.agent(body)
            for spec, present in ((MOTIONS, with_motions), (COMMITMENTS, with_commitments)):
                if body.pk in present:
                    dataset = self.dataset(
                        body, spec, publisher=agent, modified=modified, services=services
                    )
                    self.add(catalogue, DCAT.dataset, dataset)
                    for service in filter(None, services.values()):
                        self.add(service, DCAT.servesDataset, dataset)
        return self.graph

    def site_agent(self) -> tuple[URIRef, str]:
        """The publisher of a portal's catalogue: the site's organisation (site settings)."""
        from cms.models import SiteSettings

        site = request_site(self.request)
        name = ""
        if site is not None:
            name = SiteSettings.for_site(site).organisation_name or site.site_name
        name = name or "Beslutsspår"
        agent = self.node("publisher")
        self.add(agent, RDF.type, FOAF.Agent)
        self.add(agent, FOAF.name, Literal(name, lang="sv"))
        return agent, name


def oparl_url() -> str | None:
    """The OParl system's address when a route other than the page tree's answers
    /oparl/v1.1/ (the endpoint is optional), reversed from that route."""
    try:
        match = resolve("/oparl/v1.1/")
    except Resolver404:
        return None
    if match.url_name == "wagtail_serve":
        return None
    try:
        return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return None


def catalogue(request) -> Graph:
    return CatalogueBuilder(request).build()


def catalogue_rdf(request):
    """The catalogue in RDF/XML, the form dataportal.se's harvester reads first."""
    graph = catalogue(request)
    return HttpResponse(
        graph.serialize(format="pretty-xml"), content_type="application/rdf+xml; charset=utf-8"
    )


def catalogue_jsonld(request):
    """The same catalogue in JSON-LD."""
    graph = catalogue(request)
    return HttpResponse(
        graph.serialize(format="json-ld", context=CONTEXT, indent=2),
        content_type="application/ld+json; charset=utf-8",
    )


urlpatterns = [
    path("dcat.rdf", catalogue_rdf, name="dcat-rdf"),
    path("dcat.json", catalogue_jsonld, name="dcat-json"),
]
