"""sitemap.xml: every live Wagtail page and every published motion, in sections of 5,000 URLs."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from cms.routing import _index_urls
from motions.models import Motion


class MotionSitemap(Sitemap):
    """Published motions whose municipality has a live index page (others have no public URL)."""

    limit = 5000
    changefreq = "weekly"

    def items(self):
        bodies = sorted({body_id for kind, body_id in _index_urls() if kind == "motion"})
        return (
            Motion.objects.published()
            .filter(body_id__in=bodies)
            .only("id", "slug", "body_id", "last_published_at")
            .order_by("id")
        )

    def location(self, motion):
        # Django adds the scheme and domain; a multi-site URL already has them.
        return urlsplit(motion.get_url()).path

    def lastmod(self, motion):
        return motion.last_published_at


def index(request):
    return sitemap_views.index(
        request, sitemaps=_sitemaps(request), sitemap_url_name="sitemap-section"
    )


def section(request, section):
    return sitemap_views.sitemap(request, sitemaps=_sitemaps(request), section=section)


def _sitemaps(request):
    """Wagtail's page sitemap needs the request to find the site."""
    return {"sider": PageSitemap(request), "motioner": MotionSitemap()}


urlpatterns = [
    path("sitemap.xml", index, name="sitemap"),
    path("sitemap-<slug:section>.xml", section, name="sitemap-section"),
]
