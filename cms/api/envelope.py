"""The API's envelope, shared by every resource: page size and cursor parameters, the list
envelope with its `links.next`, filters from the shared FilterSets as a 400 on bad values, the
municipality scope, and links between resources reversed from their route names.

On a municipality's own site (or its `/<slug>/api/v1/` path) the API is that municipality's:
lists show its rows, another municipality's rows are 404, and a `body` parameter naming
another municipality is a 404 that says so. On the portal it covers every municipality.

Parameters are checked twice by the same rules: ninja validates each against its schema
(types and bounds the OpenAPI document shows), then the shared FilterSet reads the filters as
the HTML page does. Both rules come from `motions.filters`, so they cannot disagree."""

from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlencode

import django_filters
from django.core.exceptions import ValidationError as FormError
from django.urls import reverse
from ninja import Field, Schema
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser
from pydantic import BeforeValidator, create_model

from cms import licences
from cms.keyset import Keyset
from cms.sites import request_body_id
from motions.filters import (
    DB_INT_MAX,
    REPEATED,
    SLUG_MAX_LENGTH,
    SLUG_PATTERN,
    SlugChoiceFilter,
    WholeNumberField,
    WholeNumberFilter,
    repeated,
)
from motions.models import Body, DataLicence

BY_ID = Keyset(("id",), descending=False)

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
MAX_TEXT = 200  # the longest text parameter (the motion list's `q`, a cursor)


def whole_number_param(minimum: int, maximum: int = DB_INT_MAX):
    """An int parameter read by the HTML forms' own field, its bounds shown in the schema."""
    field = WholeNumberField(min_value=minimum, max_value=maximum)

    def read(value):
        try:
            return field.clean(value)
        except FormError as error:
            raise ValueError(" ".join(error.messages)) from None

    # The bounds first: pydantic then writes them into the schema as minimum and maximum.
    return Annotated[int, Field(ge=minimum, le=maximum), BeforeValidator(read)]


Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=SLUG_MAX_LENGTH)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]


class PageParams(Schema):
    body: Slug | None = Field(None, description="Municipality (slug), e.g. boras")
    cursor: Text | None = Field(None, description="Opaque cursor from links.next")
    limit: whole_number_param(1, MAX_LIMIT) | None = Field(
        None, description=f"Page size, 1..{MAX_LIMIT} (default {DEFAULT_LIMIT})"
    )


class SingleValueParser(Parser):
    """Every API parameter takes one value: `?limit=5&limit=50` is a 400, not the last one."""

    def parse_querydict(self, data, list_fields, request):
        twice = [name for name in repeated(data, data.keys()) if name not in list_fields]
        if twice:
            raise ValidationError(
                [
                    {"loc": ("query", name), "msg": str(REPEATED), "type": "repeated"}
                    for name in twice
                ]
            )
        return super().parse_querydict(data, list_fields, request)


def paginated(request, params, keyset: Keyset, queryset, serialize) -> dict:
    """An OParl-style list envelope: data, pagination and a `next` link that keeps the filters.

    `params` are the operation's validated PageParams (or a schema extending them)."""
    cursor, limit = params.cursor or None, params.limit or DEFAULT_LIMIT
    try:
        rows, next_cursor = keyset.page(queryset, cursor=cursor, limit=limit)
    except ValueError:
        raise HttpError(
            400, "cursor is not valid; follow the links.next URL of a previous page."
        ) from None
    next_url = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {
        "data": [serialize(request, row) for row in rows],
        "pagination": {"limit": limit, "count": len(rows)},
        "links": {"next": next_url},
    }


def filter_type(flt):
    """The schema type of one filter, with the bounds its form field checks."""
    if isinstance(flt, WholeNumberFilter):
        return whole_number_param(
            flt.extra.get("min_value", 0), flt.extra.get("max_value", DB_INT_MAX)
        )
    if isinstance(flt, SlugChoiceFilter):
        return Slug
    if isinstance(flt, django_filters.DateFilter):
        return date
    if isinstance(flt, django_filters.ChoiceFilter):
        return Literal[tuple(value for value, _label in flt.extra["choices"])]
    return Annotated[str, Field(max_length=flt.extra.get("max_length", MAX_TEXT))]


def filter_params_schema(filterset_class) -> type[Schema]:
    """The FilterSet's parameters as an OpenAPI schema, so the docs list every filter with
    its type and bounds; the FilterSet then reads them as on the HTML page."""
    fields = {}
    for name, flt in filterset_class.base_filters.items():
        description = str(flt.label or name)
        if isinstance(flt, SlugChoiceFilter):
            description += " (slug)"
        fields[name] = (filter_type(flt) | None, Field(None, description=description))
    return create_model(f"{filterset_class.__name__}Params", __base__=PageParams, **fields)


def filtered(filterset_class, request, params, queryset):
    """The rows of the `body` in `params` (all municipalities without one, the site's own on
    a municipality's site) that pass a shared FilterSet, as on the HTML page; invalid values
    are a 400 with the form's own messages."""
    body = body_param(request, params)
    if body:
        queryset = queryset.filter(body=body)
    filterset = filterset_class(request.GET, queryset=queryset, body=body)
    if not filterset.is_valid():
        errors = {field: [str(e) for e in errs] for field, errs in filterset.errors.items()}
        summary = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
        raise FilterError(f"Invalid filter value. {summary}", errors)
    return filterset.qs


class FilterError(HttpError):
    def __init__(self, message: str, errors: dict):
        super().__init__(400, message)
        self.errors = errors


def body_param(request, params) -> int | None:
    """The id of the municipality whose rows a list shows: the `body` parameter's on the
    portal (None: all of them), the site's own on a municipality's site. There `body` may
    only name the site's own municipality: another one is a 404, as its records are."""
    own = request_body_id(request)
    if not params.body:
        return own
    body_id = Body.objects.filter(slug=params.body).values_list("pk", flat=True).first()
    if body_id is None:
        raise HttpError(400, f"Unknown municipality (body): {params.body!r}.")
    if own is not None and body_id != own:
        raise HttpError(
            404,
            f"This site publishes one municipality's records; {params.body!r} is not it. "
            "Ask the API of that municipality's own site.",
        )
    return body_id


def own(request, queryset, field="body"):
    """`queryset` as a municipality's site shows it (its own rows), or whole on the portal;
    for the detail resources, so another municipality's row is a 404 there."""
    body_id = request_body_id(request)
    return queryset if body_id is None else queryset.filter(**{field: body_id})


def answer_licence(request, data) -> DataLicence:
    """The licence an answer states (`cms.licences`): a municipality's own; a record's
    municipality's; a list's, scoped as `body_param` scopes it (by the site, else by the
    `body` parameter), or the strictest of all on a portal list over every municipality."""
    if "license" in data:  # a municipality, which names its own
        return DataLicence(next(lic for lic in DataLicence if lic.url == data["license"]))
    owner = data.get("body")
    if isinstance(owner, dict) and owner.get("id"):
        return licences.licence_for(body_id=owner["id"])
    own_id = request_body_id(request)
    if own_id is not None:
        return licences.licence_for(body_id=own_id)
    return licences.licence_for(slug=request.GET.get("body"))


# --- links ----------------------------------------------------------------------------------


API_NAMESPACE = "api-v1"  # cms.api's NinjaAPI(urls_namespace=...)


def api_url(request, resource: str, pk=None, **params) -> str:
    """The absolute address of a resource's list (`pk` None, with query `params`) or of one row.

    Every route is named after its resource: "motions" for the list, "motions-detail" for one."""
    if pk is None:
        path = reverse(f"{API_NAMESPACE}:{resource}")
        return request.build_absolute_uri(f"{path}?{urlencode(params)}" if params else path)
    return request.build_absolute_uri(reverse(f"{API_NAMESPACE}:{resource}-detail", args=[pk]))


def ref(request, resource: str, obj, **extra) -> dict | None:
    """A link to another resource: enough to show it and its URL to follow."""
    if obj is None:
        return None
    return {"id": obj.pk, "url": api_url(request, resource, obj.pk), "name": str(obj), **extra}


def web_url(request, obj) -> str | None:
    url = obj.get_url()
    return request.build_absolute_uri(url) if url else None


def scoped(request, params, queryset, field="body"):
    body = body_param(request, params)
    return queryset.filter(**{field: body}) if body else queryset
