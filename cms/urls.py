from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import health, search, sites, views

urlpatterns = [
    path("health/", health.alive, name="health"),
    path("health/ready/", health.ready, name="health-ready"),
    path("admin/", include(wagtailadmin_urls)),
    path("dokument/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("folj/", include("subscriptions.urls")),
    path("", include("cms.api")),  # /api/v1/
    path("oparl/v1.1/", include("registers.oparl.urls"), {"body_of": sites.request_body_id}),
    path("sok/", search.search, name="search"),
    path("flode/", include("cms.feeds.motions")),
    path("flode/", include("cms.feeds.plans")),
    path("flode/", include("cms.feeds.calendar")),
    path("export/", include("cms.exports.motions")),
    path("export/", include("cms.exports.plans")),
    path("", include("cms.sitemaps")),  # /sitemap.xml
    path("", include("cms.opendata")),  # /dcat.rdf, /dcat.json (DCAT-AP-SE)
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler404 = views.page_not_found
handler500 = views.server_error
