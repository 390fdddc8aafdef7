"""The API's envelope, shared by every resource: page size and cursor parameters, the list
envelope with its `links.next`, filters from the shared FilterSets as a 400 on bad values, the
municipality scope, and links between resources reversed from their route names."""

from urllib.parse import urlencode

from django.urls import reverse
from ninja import Field, Schema
from ninja.errors import HttpError
from pydantic import create_model

from cms.keyset import Keyset
from motions.models import Body

BY_ID = Keyset(("id",), descending=False)

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


def page_params(request) -> tuple[str | None, int]:
    """The cursor and page size from the query string; 400 for a size outside 1..MAX_LIMIT."""
    raw = request.GET.get("limit", str(DEFAULT_LIMIT))
    try:
        limit = int(raw)
    except ValueError:
        raise HttpError(400, f"limit must be a whole number between 1 and {MAX_LIMIT}.") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise HttpError(400, f"limit must be between 1 and {MAX_LIMIT}; got {limit}.")
    return request.GET.get("cursor") or None, limit


def paginated(request, keyset: Keyset, queryset, serialize) -> dict:
    """An OParl-style list envelope: data, pagination and a `next` link that keeps the filters."""
    cursor, limit = page_params(request)
    try:
        rows, next_cursor = keyset.page(queryset, cursor=cursor, limit=limit)
    except ValueError:
        raise HttpError(
            400, "cursor is not valid; follow the links.next URL of a previous page."
        ) from None
    next_url = None
    if next_cursor:
        params = request.GET.copy()
        params["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return {
        "data": [serialize(request, row) for row in rows],
        "pagination": {"limit": limit, "count": len(rows)},
        "links": {"next": next_url},
    }


def filter_params_schema(filterset_class) -> type[Schema]:
    """The FilterSet's parameters as an OpenAPI schema, so the docs list every filter.

    Validation itself is the FilterSet's, the same as on the HTML page."""
    fields = {}
    for name, flt in filterset_class.base_filters.items():
        description = str(flt.label or name)
        choices = flt.extra.get("choices")
        if choices:
            description += ". " + ", ".join(str(value) for value, _label in choices)
        elif "to_field_name" in flt.extra:
            description += " (slug)"
        fields[name] = (str | None, Field(None, description=description))
    fields["body"] = (str | None, Field(None, description="Municipality (slug), e.g. boras"))
    fields["cursor"] = (str | None, Field(None, description="Opaque cursor from links.next"))
    fields["limit"] = (
        int | None,
        Field(None, description=f"Page size, 1..{MAX_LIMIT} (default {DEFAULT_LIMIT})"),
    )
    return create_model(f"{filterset_class.__name__}Params", __base__=Schema, **fields)


def filtered(filterset_class, request, queryset, *, body=None):
    """Apply a shared FilterSet; invalid values are a 400 with the form's own messages."""
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


def body_param(request) -> Body | None:
    slug = request.GET.get("body")
    if not slug:
        return None
    body = Body.objects.filter(slug=slug).first()
    if body is None:
        raise HttpError(400, f"Unknown municipality (body): {slug!r}.")
    return body


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


class PageParams(Schema):
    body: str | None = Field(None, description="Municipality (slug), e.g. boras")
    cursor: str | None = Field(None, description="Opaque cursor from links.next")
    limit: int | None = Field(
        None, description=f"Page size, 1..{MAX_LIMIT} (default {DEFAULT_LIMIT})"
    )


def scoped(request, queryset, field="body"):
    body = body_param(request)
    return queryset.filter(**{field: body}) if body else queryset
