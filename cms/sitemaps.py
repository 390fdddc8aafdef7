"""sitemap.xml: every live Wagtail page, every published motion, commitment and action plan,
and the pages of parties, organs, areas and target years, in sections of 5,000 URLs."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from cms.routing import _index_urls, route_url
from motions.models import Area, Motion, Organ, Party
from plans.models import ActionPlan, Commitment


def bodies_with(kind: str) -> list[int]:
    """Municipalities with a live index page for `kind`: records of others have no public URL."""
    return sorted({body_id for index_kind, body_id in _index_urls() if index_kind == kind})


class RecordSitemap(Sitemap):
    """Published records of one kind, each at its permanent URL (no query per record)."""

    limit = 5000
    changefreq = "weekly"

    def __init__(self, kind: str, records):
        self.kind = kind
        self.records = records

    def items(self):
        return (
            self.records()
            .filter(body_id__in=bodies_with(self.kind))
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

    def items(self):
        urls = _index_urls()
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
    """Wagtail's page sitemap needs the request to find the site."""
    return {
        "sider": PageSitemap(request),
        "motioner": RecordSitemap("motion", Motion.objects.published),
        "ataganden": RecordSitemap("commitment", Commitment.objects.published),
        "handlingsplaner": RecordSitemap("commitment", ActionPlan.objects.published),
        "register": DirectorySitemap(),
    }


urlpatterns = [
    path("sitemap.xml", index, name="sitemap"),
    path("sitemap-<slug:section>.xml", section, name="sitemap-section"),
]
