from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

ADMIN_PREFIX = "/admin/"
API_PREFIX = "/api/"


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
        if request.path_info.startswith(API_PREFIX):  # the API's errors are JSON
            detail = f"A NUL byte has no place in a parameter: {', '.join(names)}."
            return JsonResponse({"detail": detail}, status=400)
        return render(request, "400.html", status=400)
