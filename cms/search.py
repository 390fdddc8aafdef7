"""One search box across the published record, through Wagtail's search framework.

On a municipality's site it searches that municipality's records only; on the portal, all.

Each type searches its model's `published()` rows, so hits and counts obey the same rule as
every other channel. The index holds drafts too; the database backend filters the live rows
with the ORM at query time, so an index entry that is out of date can never reveal a draft."""

import re
from dataclasses import dataclass, field
from html import unescape

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.html import escape, format_html, format_html_join, strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.search.backends import get_search_backend

from cms.sites import request_body_id
from cms.views import without_empty_parameters
from motions.filters import ParameterForm, WholeNumberField
from motions.models import Decision, Motion
from plans.models import ActionPlan, Commitment, FollowUp

PER_PAGE = 20
PREVIEW = 5
MAX_QUERY = 200
EXCERPT = 240


@dataclass
class SearchType:
    slug: str
    label: str
    model: type
    searchable: object  # () -> the published queryset to search
    title: object
    text: object
    meta: object = lambda obj: ""
    # (queryset, body id) -> the rows of that municipality, for a municipality's own site
    of_body: object = lambda queryset, body_id: queryset.filter(body_id=body_id)

    def published(self, body_id: int | None):
        """What this type searches on a site: its municipality's published rows, or all on the portal."""
        queryset = self.searchable()
        return queryset if body_id is None else self.of_body(queryset, body_id)


@dataclass
class Hit:
    obj: object
    url: str | None
    title: str
    excerpt: str
    meta: str


@dataclass
class Group:
    type: SearchType
    count: int
    hits: list = field(default_factory=list)
    page: object = None


def _plain(html: str) -> str:
    """Rich text as the words a reader sees: entities decoded, as `highlight` escapes again."""
    return unescape(strip_tags(html))


def _motion_text(motion):
    return _plain(motion.text) or " ".join(c.text for c in motion.clauses.all())


TYPES = [
    SearchType(
        slug="motioner",
        label=gettext_lazy("Motions"),
        model=Motion,
        searchable=lambda: Motion.objects.published().prefetch_related("clauses"),
        title=lambda m: f"{m.case_number}: {m.title}",
        text=_motion_text,
        meta=lambda m: m.get_status_display(),
    ),
    SearchType(
        slug="beslut",
        label=gettext_lazy("Decisions"),
        model=Decision,
        searchable=lambda: Decision.objects.published().select_related("meeting__organ", "motion"),
        title=lambda d: f"§ {d.paragraph} {d.meeting}: {d.title}",
        text=lambda d: _plain(d.text),
        meta=lambda d: d.decided_on.isoformat(),
    ),
    SearchType(
        slug="ataganden",
        label=gettext_lazy("Commitments"),
        model=Commitment,
        searchable=lambda: Commitment.objects.published().select_related("responsible_organ"),
        title=lambda c: c.title,
        text=lambda c: c.description,
        meta=lambda c: (
            f"{c.responsible_organ.name} · {c.target_year} · {c.get_current_status_display()}"
        ),
    ),
    SearchType(
        slug="handlingsplaner",
        label=gettext_lazy("Action plans"),
        model=ActionPlan,
        searchable=ActionPlan.objects.published,
        title=lambda p: p.title,
        text=lambda p: p.description,
        meta=lambda p: f"{p.period_start:%Y}-{p.period_end:%Y}",
    ),
    SearchType(
        slug="uppfoljningar",
        label=gettext_lazy("Follow-ups"),
        model=FollowUp,
        searchable=lambda: FollowUp.objects.published().select_related(
            "commitment", "action__plan"
        ),
        title=lambda f: str(f.subject),
        text=lambda f: f.narrative or f.reason,
        meta=lambda f: (
            f"{f.get_period_kind_display()} {f.period_end:%Y-%m-%d} · {f.get_status_display()}"
        ),
        of_body=lambda queryset, body_id: queryset.filter(
            Q(commitment__body_id=body_id) | Q(action__plan__body_id=body_id)
        ),
    ),
]


def terms(query: str) -> list[str]:
    return [t for t in re.split(r"\W+", query) if len(t) > 1][:10]


def highlight(text: str, words: list[str]) -> str:
    """Escaped text with the query's words (and words starting with them) in <mark>.

    Words are found in the plain text and each piece is escaped on its own, so a word such
    as "lt" or "quot" never splits an entity the escaping made."""
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    pieces = pattern.split(text)
    marked = [format_html("<mark>{}</mark>", m.group(0)) for m in pattern.finditer(text)]
    return format_html_join("", "{}{}", zip(pieces, [*marked, ""], strict=True))


def excerpt(text: str, words: list[str]) -> str:
    """About EXCERPT characters around the first word found, highlighted."""
    text = " ".join(text.split())
    lowered = text.lower()
    positions = [p for p in (lowered.find(w.lower()) for w in words) if p >= 0]
    start = max(min(positions) - EXCERPT // 3, 0) if positions else 0
    piece = text[start : start + EXCERPT]
    prefix = "… " if start else ""
    suffix = " …" if start + EXCERPT < len(text) else ""
    return highlight(f"{prefix}{piece}{suffix}", words)


def hits(search_type: SearchType, objects, words) -> list[Hit]:
    return [
        Hit(
            obj=o,
            url=o.get_url(),
            title=highlight(search_type.title(o), words),
            excerpt=excerpt(search_type.text(o), words),
            meta=search_type.meta(o),
        )
        for o in objects
    ]


def search_published(query: str, queryset):
    """Search `queryset` as it is. The backend's filter check only knows `FilterField`s, not
    the joins and subqueries of `published()`; the database backend runs the queryset's own
    SQL, so skipping that check loses nothing (a backend that cannot, e.g. Elasticsearch,
    would need the chain's fields indexed instead)."""
    backend = get_search_backend()
    compiler = backend.query_compiler_class(queryset, query, operator="and")
    return backend.results_class(backend, compiler)


class SearchForm(ParameterForm):
    """The search's parameters: the words, one type of result to page through, and its page."""

    q = forms.CharField(required=False)
    typ = forms.ChoiceField(
        required=False,
        choices=[(t.slug, t.label) for t in TYPES],
        error_messages={
            "invalid_choice": gettext_lazy("Unknown type of result. Choose one of the types below.")
        },
    )
    sida = WholeNumberField(min_value=1, required=False)

    def clean_q(self):
        query = self.cleaned_data["q"]
        if len(query) > MAX_QUERY:
            raise ValidationError(
                _("The search is too long: use at most %(max)s characters.") % {"max": MAX_QUERY}
            )
        return query


def search(request):
    if redirect := without_empty_parameters(request):
        return redirect
    form = SearchForm(request.GET)
    valid = form.is_valid()
    query = form.cleaned_data.get("q", "")
    chosen = form.cleaned_data.get("typ", "")
    context = {"query": query, "types": TYPES, "chosen": chosen, "groups": [], "error": ""}
    if not valid:  # NUL bytes, "²" or a repeated parameter: the form says what to fix
        context["error"] = " ".join(
            message for errors in form.errors.values() for message in errors
        )
        return TemplateResponse(request, "search/search.html", context, status=400)
    status = 200
    selected = [t for t in TYPES if t.slug == chosen]
    if query:
        words = terms(query)
        body_id = request_body_id(request)  # a municipality's site searches its own record
        for search_type in selected or TYPES:
            results = search_published(query, search_type.published(body_id))
            if selected:
                paginator = Paginator(results, PER_PAGE)
                try:
                    page = paginator.page(form.cleaned_data["sida"] or 1)
                except EmptyPage:
                    context["error"] = _(
                        "There is no such page of results. There are %(count)s pages."
                    ) % {"count": paginator.num_pages}
                    status = 404
                    break
                group = Group(
                    search_type,
                    paginator.count,
                    hits(search_type, page.object_list, words),
                    page,
                )
            else:
                group = Group(
                    search_type,
                    results.count(),
                    hits(search_type, results[:PREVIEW], words),
                )
            context["groups"].append(group)
        context["total"] = sum(g.count for g in context["groups"])
    return TemplateResponse(request, "search/search.html", context, status=status)
