"""The open data API at /api/v1/: one django-ninja object, the apps' routers, JSON errors.

django-ninja rather than Django REST framework: Wagtail 8 already installs it, it builds
the OpenAPI 3 schema from the type hints we write anyway, and a read-only API of plain
functions needs none of DRF's serializers, viewsets or permission classes."""

from django.http import JsonResponse
from django.urls import path, re_path
from ninja import NinjaAPI, Schema, Swagger
from ninja.errors import HttpError, ValidationError

from cms import licences

from .envelope import FilterError, SingleValueParser, answer_licence
from .motions import router as motions_router
from .plans import router as plans_router


class ApiError(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None  # a filter's messages, by parameter


class OpenDataAPI(NinjaAPI):
    """Documents on every operation the JSON errors the handlers below answer with, so that a
    client (and schemathesis) knows a 400 or 404 is part of the contract."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        body = {"content": {"application/json": {"schema": ApiError.model_json_schema()}}}
        errors = {
            "400": {"description": "A parameter is not valid; `detail` says which", **body},
            "404": {"description": "No such published record", **body},
        }
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation["responses"].update(errors)
        return schema

    def create_response(self, request, data, *, status=None, temporal_response=None):
        """Every answer with data states its licence, in the JSON (`license`, as OParl
        names it) and as a `Link: rel="license"` header."""
        status = temporal_response.status_code if temporal_response else status
        licence = None
        if status == 200 and isinstance(data, dict):
            licence = answer_licence(request, data)
            data = {**data, "license": licence.url}
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        return licences.state(response, licence) if licence else response


class ApiDocs(Swagger):
    """Swagger UI inside a page of ours with a language, a main landmark and a heading, which
    django-ninja's own page lacks (WCAG 3.1.1, 1.3.1, 2.4.1). No deep links: Swagger UI puts
    each as a link inside the button that opens the operation, which a screen reader may skip."""

    template = "api/docs.html"
    default_settings = {**Swagger.default_settings, "deepLinking": False}


api = OpenDataAPI(
    title="Beslutsspår open data API",
    docs=ApiDocs(),
    version="1",
    urls_namespace="api-v1",
    parser=SingleValueParser(),
    description=(
        "Read-only, published records only: municipalities, organs, parties, members, meetings, "
        "motions with clauses, referrals, proposals, decisions and votes. Lists are paginated with "
        "an opaque cursor (follow `links.next`) and filtered with the same parameters as the web pages. "
        'Errors are JSON: `{"detail": ...}` with status 400 or 404. '
        "Every answer states the licence of its data: `license` (the licence's URL) beside "
        '`data` in a list, in the object for one record, and a `Link: <url>; rel="license"` '
        "header. Each municipality chooses its licence (CC0 1.0 unless it chose CC BY 4.0; "
        "`/bodies` gives each one's); a list over several municipalities states the "
        "strictest of theirs. The datasets are described for harvesting in DCAT-AP-SE at "
        "/dcat.rdf and /dcat.json."
    ),
)
api.add_router("/", motions_router)
api.add_router("/", plans_router)


@api.exception_handler(FilterError)
def filter_error(request, exc: FilterError):
    return api.create_response(request, {"detail": str(exc), "errors": exc.errors}, status=400)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    """Malformed parameters are the client's mistake: 400, as for bad filter values (ninja says 422)."""
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', [])[1:])}: {e.get('msg')}" for e in exc.errors
    )
    return api.create_response(request, {"detail": f"Invalid request. {problems}"}, status=400)


def unknown_resource(request, rest=""):
    return JsonResponse({"detail": f"No such API resource: /api/v1/{rest}"}, status=404)


urlpatterns = [
    path("api/v1/", api.urls),
    # [\s\S]: a newline in the path (%0A) is an unknown resource too, answered in JSON.
    re_path(r"^api/v1/(?P<rest>[\s\S]*)$", unknown_resource),
]
