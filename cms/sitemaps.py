"""sitemap.xml: every live Wagtail page, every published motion, commitment and action plan,
and the pages of parties, organs, areas and target years, in sections of 5,000 URLs."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from cms.routing import _index_urls, route_url
from cms.sites import request_body_id
from motions.models import Area, Motion, Organ, Party
from plans.models import ActionPlan, Commitment


def bodies_with(kind: str, only: int | None = None) -> list[int]:
    """Municipalities with a live index page for `kind`: records of others have no public URL.
    With `only` (a municipality's site) that municipality alone."""
    return sorted(
        body_id
        for index_kind, body_id in _index_urls()
        if index_kind == kind and only in (None, body_id)
    )


class SitePageSitemap(PageSitemap):
    """The site's own live pages, at the address the request reached the site by: Wagtail
    writes a page's full URL with its site's hostname, which with the path fallback
    (`localhost/boras/`) is not the host the visitor used."""

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = self.request.build_absolute_uri(urlsplit(url["location"]).path)
        return urls


class RecordSitemap(Sitemap):
    """Published records of one kind, each at its permanent URL (no query per record)."""

    limit = 5000
    changefreq = "weekly"

    def __init__(self, kind: str, records, body_id: int | None = None):
        self.kind = kind
        self.records = records
        self.body_id = body_id

    def items(self):
        return (
            self.records()
            .filter(body_id__in=bodies_with(self.kind, self.body_id))
            .only("id", "slug", "body_id", "last_published_at")
            .order_by("id")
        )

    def location(self, record):
        # Django adds the scheme and domain; a multi-site URL already has them.
        return urlsplit(record.get_url()).path

    def lastmod(self, record):
        return record.last_published_at


class DirectorySitemap(Sitemap):
    """The pages that gather records: each party, organ and area, each target year, and each
    party's record on the tracker."""

    changefreq = "weekly"

    def __init__(self, body_id: int | None = None):
        self.body_id = body_id

    def items(self):
        urls = {key: url for key, url in _index_urls().items() if self.body_id in (None, key[1])}
        motion_index = {b: url for (kind, b), url in urls.items() if kind == "motion"}
        tracker = {b: url for (kind, b), url in urls.items() if kind == "commitment"}
        paths = []
        for model, route in (
            (Party, "party_detail"),
            (Organ, "organ_detail"),
            (Area, "area_detail"),
        ):
            for body_id, slug in (
                model.objects.filter(body_id__in=motion_index)
                .order_by("body_id", "slug")
                .values_list("body_id", "slug")
            ):
                paths.append(route_url("motion", motion_index[body_id], route, slug))
        years = (
            Commitment.objects.published()
            .filter(body_id__in=tracker)
            .order_by("body_id", "target_year")
            .values_list("body_id", "target_year")
            .distinct()
        )
        paths += [
            route_url("commitment", tracker[body_id], "target_year", year)
            for body_id, year in years
        ]
        paths += [
            route_url("commitment", tracker[body_id], "party_record", slug)
            for body_id, slug in Party.objects.filter(body_id__in=tracker)
            .order_by("body_id", "slug")
            .values_list("body_id", "slug")
        ]
        return paths

    def location(self, url):
        return urlsplit(url).path


def index(request):
    return sitemap_views.index(
        request, sitemaps=_sitemaps(request), sitemap_url_name="sitemap-section"
    )


def section(request, section):
    return sitemap_views.sitemap(request, sitemaps=_sitemaps(request), section=section)


def _sitemaps(request):
    """Wagtail's page sitemap needs the request to find the site; on a municipality's site
    the records are its own, on the portal everyone's."""
    body_id = request_body_id(request)
    return {
        "sider": SitePageSitemap(request),
        "motioner": RecordSitemap("motion", Motion.objects.published, body_id),
        "ataganden": RecordSitemap("commitment", Commitment.objects.published, body_id),
        "handlingsplaner": RecordSitemap("commitment", ActionPlan.objects.published, body_id),
        "register": DirectorySitemap(body_id),
    }


urlpatterns = [
    path("sitemap.xml", index, name="sitemap"),
    path("sitemap-<slug:section>.xml", section, name="sitemap-section"),
]
