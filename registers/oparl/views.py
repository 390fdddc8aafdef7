"""The read-only OParl 1.1 endpoint: a System, its Bodies and their lists, every object at
its own address. Published records only, through the querysets in `registers.oparl.queries`.

Lists are keyset-paginated by database id (stable, and the thousandth page costs what the first
does); `links.next` carries an opaque cursor and the filters. On a municipality's own site the
endpoint is that municipality's alone, as the API is: another municipality's objects are 404.
Every answer, errors included, is JSON with `Access-Control-Allow-Origin: *`, which OParl
requires of a server so that web applications elsewhere may read the public record."""

import base64
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from motions.models import Body

from . import queries
from . import serialise as S

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
MAX_ID = 2**63 - 1  # the largest key PostgreSQL's bigint (and SQLite's integer) holds
MAX_PARAM = 200
FILTERS = {
    "created_since": "oparl_created__gte",
    "created_until": "oparl_created__lte",
    "modified_since": "oparl_modified__gte",
    "modified_until": "oparl_modified__lte",
}
ERROR = f"{S.SCHEMA}Error"


class BadRequest(Exception):
    """A parameter the client got wrong: a 400 with `message` for a person to read."""

    def __init__(self, message: str, debug: str = ""):
        super().__init__(message)
        self.message, self.debug = message, debug


def respond(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error(status: int, message: str, debug: str = "") -> JsonResponse:
    return respond({"type": ERROR, "message": message, "debug": debug}, status=status)


def endpoint(view):
    """GET (and HEAD) only; a bad parameter is a 400 and a missing object a 404, as JSON.

    `body_of(request)`, given by the project's URLconf (`registers` may not import `cms`),
    names the municipality whose site serves the request, None on the portal."""

    @wraps(view)
    def wrapper(request, *args, body_of=None, **kwargs):
        request.oparl_body_id = body_of(request) if body_of else None
        if request.method not in ("GET", "HEAD"):
            response = error(405, _("The OParl interface only answers GET requests."))
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return view(request, *args, **kwargs)
        except BadRequest as exc:
            return error(400, exc.message, exc.debug)
        except Http404:
            return error(404, _("No such published object."), request.path)

    return wrapper


# --- parameters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Params:
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None
    filters: dict | None = None
    omit_internal: bool = False


def read_params(request, *, listing: bool) -> Params:
    """The query parameters, each checked: OParl's four time filters, `limit`, our `cursor`
    and `omit_internal`. Unknown parameters are ignored, as the spec lets clients send them."""
    query = request.GET
    twice = [name for name, values in query.lists() if len(values) > 1]
    if twice:
        raise BadRequest(
            _("Give each parameter once: %(names)s.") % {"names": ", ".join(sorted(twice))}
        )
    too_long = [name for name, value in query.items() if len(value) > MAX_PARAM]
    if too_long:
        raise BadRequest(_("Parameter too long: %(names)s.") % {"names": ", ".join(too_long)})
    omit = query.get("omit_internal", "false")
    if omit not in ("true", "false"):
        raise BadRequest(_("omit_internal is true or false."), f"omit_internal={omit!r}")
    if not listing:
        return Params(omit_internal=omit == "true")
    limit = query.get("limit", str(DEFAULT_LIMIT))
    if not (limit.isascii() and limit.isdigit() and 1 <= int(limit) <= MAX_LIMIT):
        raise BadRequest(
            _("limit is a whole number from 1 to %(max)s.") % {"max": MAX_LIMIT},
            f"limit={limit!r}",
        )
    filters = {FILTERS[name]: moment(name, query[name]) for name in FILTERS if name in query}
    return Params(
        limit=int(limit),
        cursor=query.get("cursor") or None,
        filters=filters,
        omit_internal=omit == "true",
    )


def moment(name: str, value: str) -> datetime:
    """An ISO 8601 date and time, e.g. 2024-01-01T00:00:00+01:00; without an offset it is
    Swedish time."""
    problem = _(
        "%(name)s is a date and time in ISO 8601, e.g. 2024-01-01T00:00:00+01:00 "
        "(write + as %%2B in a URL)."
    ) % {"name": name}
    try:
        # The spec asks for a full date-time: a date alone is refused, not read as midnight.
        parsed = parse_datetime(value) if value[10:11] in ("T", "t", " ") else None
    except ValueError:  # well formed but not a date, e.g. month 13
        parsed = None
    if parsed is None:
        raise BadRequest(problem, f"{name}={value!r}")
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    try:
        parsed.astimezone(
            ZoneInfo("UTC")
        )  # the database compares in UTC: year 1 or 9999 may not fit
    except (OverflowError, ValueError):
        raise BadRequest(problem, f"{name}={value!r}") from None
    return parsed


# --- the keyset pager ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One table of a list (an Organization list has organs, then parties) and how its rows read."""

    queryset: Any
    serialise: Callable[[Any], dict]


def encode(source: int, pk: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([source, pk]).encode()).decode().rstrip("=")


def decode(cursor: str, sources: int) -> tuple[int, int]:
    """The (source, id) a cursor of ours holds; a 400 for anything we did not issue."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except ValueError:  # base64's, Unicode's and JSON's errors alike
        values = None
    if (
        isinstance(values, list)
        and len(values) == 2
        and all(type(v) is int for v in values)
        and 0 <= values[0] < sources
        and 0 <= values[1] <= MAX_ID
    ):
        return values[0], values[1]
    raise BadRequest(
        _("cursor is not valid; follow the links.next address of a previous page."),
        f"cursor={cursor!r}",
    )


def page(request, params: Params, sources: list[Source]) -> JsonResponse:
    """One list page: the rows after the cursor, in (source, id) order, with OParl's
    pagination and links. A fixed number of queries: a count per source, the rows of at
    most every source (and their prefetches), and the counts that place the page."""
    start, after = decode(params.cursor, len(sources)) if params.cursor else (0, None)
    tables = [s.queryset.filter(**params.filters).order_by("pk") for s in sources]
    totals = [t.count() for t in tables]
    total, limit = sum(totals), params.limit
    before = sum(totals[:start]) + (tables[start].filter(pk__lte=after).count() if after else 0)
    rows = []
    for i in range(start, len(tables)):
        need = limit - len(rows)
        if need <= 0:
            break
        if totals[i]:
            table = tables[i].filter(pk__gt=after) if i == start and after else tables[i]
            rows += [(i, obj) for obj in table[:need]]

    def at(index: int) -> str | None:
        """The page address whose first row is the `index`th (0: the first page)."""
        if index <= 0:
            return link(request, None)
        for i, count in enumerate(totals):
            if index - 1 < count:
                pk = tables[i].values_list("pk", flat=True)[index - 1]
                return link(request, encode(i, pk))
            index -= count
        return None

    last_start = (max(1, math.ceil(total / limit)) - 1) * limit
    links = {"first": link(request, None), "self": link(request, params.cursor)}
    if before > 0:
        links["prev"] = at(max(0, before - limit))
    if rows and before + len(rows) < total:
        links["next"] = link(request, encode(rows[-1][0], rows[-1][1].pk))
    links["last"] = at(last_start) if last_start > before else links["self"]
    return respond(
        {
            "data": [sources[i].serialise(obj) for i, obj in rows],
            "pagination": {
                "totalElements": total,
                "elementsPerPage": limit,
                "currentPage": before // limit + 1,
                "totalPages": max(1, math.ceil(total / limit)),
            },
            "links": links,
        }
    )


def link(request, cursor: str | None) -> str:
    """This list's address with its filters, at `cursor` (the first page without one)."""
    query = request.GET.copy()
    query.pop("cursor", None)
    if cursor:
        query["cursor"] = cursor
    encoded = query.urlencode()
    return request.build_absolute_uri(f"{request.path}?{encoded}" if encoded else request.path)


# --- scope --------------------------------------------------------------------------------------


def own(request, queryset, field: str):
    """On a municipality's own site, its rows only; on the portal, every municipality's."""
    body_id = request.oparl_body_id
    return queryset if body_id is None else queryset.filter(**{field: body_id})


def one(queryset, pk: int):
    if pk > MAX_ID:
        raise Http404
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def body_for(request, pk: int) -> Body:
    return one(own(request, Body.objects.all(), "pk"), pk)


# --- System and Body ----------------------------------------------------------------------------


@endpoint
def system(request):
    read_params(request, listing=False)
    bodies = list(own(request, Body.objects.order_by("pk"), "pk"))
    return respond(S.system(S.Links(request), bodies=bodies))


@endpoint
def body_list(request):
    params = read_params(request, listing=True)
    links = S.Links(request, omit_internal=params.omit_internal)
    return page(
        request,
        params,
        [Source(own(request, queries.bodies(), "pk"), lambda b: body_data(links, b))],
    )


def body_data(links, body) -> dict:
    return S.body(links, body, terms=body.terms.all())


@endpoint
def body_detail(request, pk):
    links = S.Links(request, omit_internal=read_params(request, listing=False).omit_internal)
    return respond(body_data(links, one(own(request, queries.bodies(), "pk"), pk)))


def body_list_view(build):
    """A list of one municipality's objects: `build(links, body)` gives its sources."""

    @endpoint
    @wraps(build)
    def view(request, pk):
        params = read_params(request, listing=True)
        body = body_for(request, pk)
        return page(
            request, params, build(S.Links(request, omit_internal=params.omit_internal), body)
        )

    return view


@body_list_view
def body_organizations(links, body):
    return [
        Source(queries.organs().filter(body=body), lambda o: S.organ(links, o)),
        Source(queries.parties().filter(body=body), lambda p: S.party(links, p)),
    ]


@body_list_view
def body_people(links, body):
    return [Source(queries.people().filter(body=body), lambda p: S.person(links, p))]


@body_list_view
def body_memberships(links, body):
    return [
        Source(
            queries.memberships().filter(organ__body=body),
            lambda m: S.membership(links, m, body=body),
        )
    ]


@body_list_view
def body_meetings(links, body):
    return [Source(queries.meetings().filter(organ__body=body), lambda m: S.meeting(links, m))]


@body_list_view
def body_papers(links, body):
    return [Source(queries.papers().filter(body=body), lambda m: S.paper(links, m))]


@body_list_view
def body_agenda_items(links, body):
    return [
        Source(
            queries.agenda_items().filter(body=body), lambda d: S.agenda_item(links, d, body=body)
        )
    ]


@body_list_view
def body_consultations(links, body):
    return [
        Source(
            queries.referrals().filter(motion__body=body),
            lambda r: S.referral_consultation(links, r, motion=r.motion),
        ),
        Source(
            queries.proposals().filter(motion__body=body),
            lambda p: S.proposal_consultation(links, p, body=body),
        ),
        Source(
            queries.decision_consultations().filter(body=body),
            lambda d: S.decision_consultation(links, d, body=body),
        ),
    ]


@body_list_view
def body_files(links, body):
    return [Source(queries.files(body.pk), lambda f: S.file(links, f, body=body))]


@body_list_view
def body_terms(links, body):
    return [
        Source(queries.terms().filter(body=body), lambda t: S.legislative_term(links, t, body=body))
    ]


# --- single objects -----------------------------------------------------------------------------


def detail_view(queryset, field: str, serialise):
    """One object by id: `queryset()` scoped to the site's municipality by `field`."""

    @endpoint
    def view(request, pk):
        links = S.Links(request, omit_internal=read_params(request, listing=False).omit_internal)
        return respond(serialise(links, one(own(request, queryset(), field), pk)))

    return view


term_detail = detail_view(
    queries.terms, "body", lambda links, t: S.legislative_term(links, t, body=t.body)
)
organ_detail = detail_view(queries.organs, "body", S.organ)
party_detail = detail_view(queries.parties, "body", S.party)
person_detail = detail_view(queries.people, "body", S.person)
membership_detail = detail_view(
    queries.memberships, "organ__body", lambda links, m: S.membership(links, m, body=m.organ.body)
)
meeting_detail = detail_view(queries.meetings, "organ__body", S.meeting)
agenda_item_detail = detail_view(
    queries.agenda_items, "body", lambda links, d: S.agenda_item(links, d, body=d.body)
)
paper_detail = detail_view(queries.papers, "body", S.paper)
referral_detail = detail_view(
    queries.referrals,
    "motion__body",
    lambda links, r: S.referral_consultation(links, r, motion=r.motion),
)
proposal_detail = detail_view(
    lambda: queries.proposals().select_related("motion__body"),
    "motion__body",
    lambda links, p: S.proposal_consultation(links, p, body=p.motion.body),
)
decision_detail = detail_view(
    queries.decision_consultations,
    "body",
    lambda links, d: S.decision_consultation(links, d, body=d.body),
)


@endpoint
def file_detail(request, pk):
    read_params(request, listing=False)
    document = one(queries.files(request.oparl_body_id), pk)
    body = Body.objects.get(pk=document.oparl_body)
    return respond(S.file(S.Links(request), document, body=body))


def unknown(request, rest="", body_of=None):
    return error(404, _("No such OParl address."), request.path)
