import re

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.urls import Resolver404, get_script_prefix, resolve, set_script_prefix
from django.utils import translation

from registers.oparl.views import error as oparl_error

from . import sites

ADMIN_PREFIX = "/admin/"
API_PREFIX = "/api/"
OPARL_PATH = re.compile(r"^(/[^/]+)?/oparl/")  # also on the portal's /<slug>/oparl/


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish unless the visitor chose English with the language switch (språklagen: Swedish is
    the language of the public sector). The browser's Accept-Language is not a choice."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = dict(settings.LANGUAGES)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict policy everywhere but the Wagtail admin, whose own templates still write
    inline scripts and styles. A preview, though served under /admin/, renders our public
    templates and the draft being edited: it keeps the strict policy and may only be framed
    by the admin (Wagtail marks preview responses SAMEORIGIN)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts
        framed_by_admin = response.get("X-Frame-Options") == "SAMEORIGIN"
        if framed_by_admin:
            parts.replace = {"frame-ancestors": ["'self'"]}
        elif request.path_info.startswith(ADMIN_PREFIX):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN
        return parts


def with_nul(params) -> list[str]:
    """The names of the parameters whose name or a value holds a NUL byte."""
    return [
        repr(key) if "\x00" in key else key
        for key, values in params.lists()
        if "\x00" in key or any("\x00" in value for value in values)
    ]


class RefuseNulBytesMiddleware:
    """A NUL byte in the query string or a submitted form gets the 400 page before any view
    runs. A backstop: each parameter is validated where it is read (`motions.filters`), but no
    one means a NUL byte, and PostgreSQL and SQLite's full-text search fail on one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        names = with_nul(request.GET) + (with_nul(request.POST) if request.method == "POST" else [])
        if not names:
            return self.get_response(request)
        detail = f"A NUL byte has no place in a parameter: {', '.join(names)}."
        if request.path_info.startswith(API_PREFIX):  # the API's errors are JSON
            return JsonResponse({"detail": detail}, status=400)
        if OPARL_PATH.match(request.path_info):  # and OParl's, in its own shape
            return oparl_error(400, detail)
        return render(request, "400.html", status=400)


class MunicipalSiteMiddleware:
    """Finds the request's Wagtail site in the cached map (`cms.sites`), without a query.

    The path fallback: on a site that is not a municipality's (the portal), a path starting
    with a municipality's slug is served as that municipality's site would serve the rest,
    with `/<slug>/` as the script prefix. Wagtail's routing then starts at the municipality's
    home page, and `reverse()`, `{% url %}`, `pageurl` and `build_absolute_uri` give
    `/<slug>/...` addresses, so `localhost/boras/sok/` is `boras.localhost/sok/`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        known = sites.cached_site_map()
        if known is not None or self.may_start_with_a_slug(request.path_info):
            site, slug = sites.resolve(request, known)
            request._wagtail_site = site  # what Site.find_for_request answers from now on
        else:  # our own routes (the API's schema, search...) find the site when they ask
            slug = ""
        previous_prefix = get_script_prefix()
        if slug:
            rest = request.path_info[len(slug) + 1 :]
            if not rest:  # "/boras": the municipality's home is "/boras/"
                return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
            request.path_info = rest
            request.META["SCRIPT_NAME"] = (
                request.META.get("SCRIPT_NAME", "").rstrip("/") + f"/{slug}"
            )
            set_script_prefix(f"{previous_prefix}{slug}/")
        # Record links in the admin are absolute, on each municipality's own site: the admin
        # is not one municipality's, and what it writes (a follower's e-mail) leaves the site.
        token = sites.serving(None if request.path_info.startswith(ADMIN_PREFIX) else request)
        try:
            return self.get_response(request)
        finally:
            sites.done(token)
            set_script_prefix(previous_prefix)

    @staticmethod
    def may_start_with_a_slug(path_info: str) -> bool:
        """Whether a path may be the path fallback's: Wagtail's pages and unknown paths may,
        a route of our own (`/api/`, `/sok/`, `/admin/`) may not."""
        try:
            return resolve(path_info).url_name == "wagtail_serve"
        except Resolver404:
            return True
