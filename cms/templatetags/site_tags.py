"""Template helpers for the public site: navigation and query strings that keep filters."""

from django import template
from django.utils.translation import gettext as _

from cms.routing import index_url, subpage_url
from cms.sites import request_body_id

register = template.Library()


def _body_id(context):
    """The municipality the page belongs to: the page's own, else the site's (none on the
    portal), from the cached map of sites: no query."""
    body_id = getattr(context.get("page"), "body_id", None)
    return body_id or request_body_id(context.get("request"))


@register.simple_tag(takes_context=True)
def index_page_url(context, kind="motion", route=None, *args):
    """URL of the index page publishing `kind` records ("motion", "commitment") for this
    page's municipality, from the cached index URLs in cms.routing; None when there is none.
    With a `route` (a `@path` name of that page) and its arguments, the URL of that route:
    `{% index_page_url "motion" "area_detail" area.slug as url %}`."""
    body_id = _body_id(context)
    if not body_id:
        return None
    return subpage_url(kind, body_id, route, *args) if route else index_url(kind, body_id)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None drops one); for pagination links."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def active_filters(context, filterset):
    """Each filter in use, with its label, the chosen value and a link that removes only it."""
    form = filterset.form
    if not filterset.is_bound or not form.is_valid():
        return []
    request = context["request"]
    active = []
    for name, value in form.cleaned_data.items():
        if value in (None, ""):
            continue
        field = form.fields[name]
        if isinstance(value, list):  # the rows a slug names (motions.filters.SlugChoiceField)
            shown = ", ".join(str(row) for row in value)
        else:
            choices = dict(getattr(field, "choices", []) or []) if not hasattr(value, "pk") else {}
            shown = choices.get(value, value) if choices else value
        params = request.GET.copy()
        params.pop(name, None)
        params.pop("page", None)
        encoded = params.urlencode()
        active.append(
            {
                "label": field.label,
                "value": str(shown),
                "remove_url": f"?{encoded}" if encoded else request.path,
                "remove_label": _("Remove filter %(label)s: %(value)s")
                % {"label": field.label, "value": shown},
            }
        )
    return active


@register.simple_tag
def page_range(page_obj):
    """Page numbers around the current one, with Paginator.ELLIPSIS for the gaps."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
