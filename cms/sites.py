"""Which municipality a request belongs to: one Wagtail Site per municipality.

A municipality's site is a Site whose root page is a `HomePage` with a `body`. It is reached
by its own hostname (`boras.example.se`) or, on any other site (the portal), by the path
fallback `/<body slug>/...`, which `cms.middleware.MunicipalSiteMiddleware` turns into that
site with `/<body slug>/` as the script prefix. Everything here reads one cached map of the
sites, so finding the site costs no query; saving or deleting a Site, a HomePage or a Body
forgets the map.

`current_site()` is the site of the request being served (None outside a request: a task,
a shell), so that record URLs built without a request object (`cms.routing`) are relative on
the same site and absolute elsewhere."""

from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404
from wagtail.models import Site

from subscriptions import registry as subscriptions_registry

CACHE_KEY = "municipal-sites"

_serving: ContextVar[object] = ContextVar("serving", default=None)  # the public request


@dataclass
class SiteMap:
    sites: dict[int, Site] = field(default_factory=dict)
    default_id: int | None = None
    body_of_site: dict[int, int] = field(default_factory=dict)  # municipality sites only
    site_of_body: dict[int, int] = field(default_factory=dict)
    site_of_slug: dict[str, int] = field(default_factory=dict)  # body slug -> site

    def find(self, hostname: str, port: int) -> Site | None:
        """The site Wagtail's `Site.find_for_request` would choose, without a query: the
        hostname and port, else the hostname when only one site has it, else the default."""
        same_host = [s for s in self.sites.values() if s.hostname == hostname]
        exact = [s for s in same_host if s.port == port]
        if exact:
            return exact[0]
        default = self.sites.get(self.default_id)
        if default is not None and default.hostname == hostname:
            return default
        if len(same_host) == 1:
            return same_host[0]
        return default


def cached_site_map() -> SiteMap | None:
    """The map if it is in the cache: looking costs no query."""
    return cache.get(CACHE_KEY)


def site_map() -> SiteMap:
    found = cache.get(CACHE_KEY)
    if found is None:
        from cms.models import HomePage

        found = SiteMap()
        for site in Site.objects.order_by("pk"):
            found.sites[site.pk] = site
            if site.is_default_site:
                found.default_id = site.pk
        homes = HomePage.objects.filter(
            pk__in=[s.root_page_id for s in found.sites.values()], body__isnull=False
        ).values_list("pk", "body_id", "body__slug")
        body_of_root = {pk: (body_id, slug) for pk, body_id, slug in homes}
        for site in found.sites.values():
            if site.root_page_id in body_of_root:
                body_id, slug = body_of_root[site.root_page_id]
                found.body_of_site[site.pk] = body_id
                # Two sites for one municipality: the first (lowest id) is its own.
                found.site_of_body.setdefault(body_id, site.pk)
                found.site_of_slug.setdefault(slug, site.pk)
        cache.set(CACHE_KEY, found, 3600)
    return found


def forget() -> None:
    cache.delete(CACHE_KEY)


@receiver(post_save)
@receiver(post_delete)
def _forget_on_write(sender, **kwargs):
    """A site, a home page (of any municipality) or a municipality's slug changed."""
    label = f"{sender._meta.app_label}.{sender.__name__}"
    if label in {"wagtailcore.Site", "cms.HomePage", "cms.PortalPage", "motions.Body"}:
        forget()


# --- the request's site ----------------------------------------------------------------


def resolve(request, known: SiteMap | None = None) -> tuple[Site | None, str]:
    """The request's site and, for the path fallback, the body slug its path starts with
    ("" when the host names the site itself)."""
    known = known or site_map()
    hostname = split_domain_port(request._get_raw_host())[0]
    site = known.find(hostname, request.get_port() and int(request.get_port()))
    if site is not None and site.pk in known.body_of_site:
        return site, ""
    first = request.path_info.lstrip("/").split("/", 1)[0]
    if first in known.site_of_slug:
        return known.sites[known.site_of_slug[first]], first
    return site, ""


def request_site(request) -> Site | None:
    """The request's site, from the cached map (the middleware has usually found it)."""
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = resolve(request)[0]
    return request._wagtail_site


def request_body_id(request) -> int | None:
    """The municipality whose site serves `request`, or None on the portal (or without a request)."""
    if request is None:
        return None
    site = request_site(request)
    return site_map().body_of_site.get(site.pk) if site else None


def body_for_request(request, slug: str):
    """The municipality a URL names (`/flode/<slug>/...`): 404 when there is none, and on a
    municipality's site when it names another one; the portal may name any."""
    from motions.models import Body

    body = get_object_or_404(Body, slug=slug)
    own = request_body_id(request)
    if own is not None and own != body.pk:
        raise Http404
    return body


def site_for_body(body_id: int) -> Site | None:
    known = site_map()
    site_id = known.site_of_body.get(body_id)
    return known.sites.get(site_id) if site_id else None


def own_root_url(body_id: int | None) -> str | None:
    """The absolute address of a municipality's own site (no trailing slash), for e-mails
    and other links made without a request. None when it has no site, or when its site is
    the default one (an installation of one municipality): WAGTAILADMIN_BASE_URL says
    where that is better than the default site's placeholder hostname."""
    site = site_for_body(body_id) if body_id else None
    return site.root_url if site and not site.is_default_site else None


def municipality_sites() -> list[tuple[Site, int]]:
    """Every municipality's own site with its body id, in the order of their ids."""
    known = site_map()
    return [(known.sites[site_id], body_id) for body_id, site_id in known.site_of_body.items()]


# --- the site being served, for links made without the request at hand -------------------


def current_site() -> Site | None:
    """The site of the public request being served, or None (a task, a shell, the admin)."""
    request = _serving.get()
    return request_site(request) if request is not None else None


def current_site_id() -> int | None:
    site = current_site()
    return site.pk if site else None


def serving(request):
    """Mark `request` as the one being served (None: links as from no site); returns the
    token for `done`."""
    return _serving.set(request)


def done(token) -> None:
    _serving.reset(token)


# --- for the subscriptions app, which may not import the domain apps ----------------------


def record_root_url(model, pk) -> str | None:
    """The root URL of the site publishing a record (links in its e-mails point there)."""
    from motions.access import body_id_of

    return own_root_url(body_id_of(model(pk=pk)))


def shows(request, obj) -> bool:
    """Whether the site serving `request` publishes `obj`: the portal all, a municipality's
    site only its own municipality's records."""
    from motions.access import body_id_of

    own = request_body_id(request)
    if own is None:
        return True
    body_id = getattr(obj, "body_id", None) or body_id_of(obj)
    return body_id is None or body_id == own  # a shared row (a topic) belongs to all


# Connected on import, as the signal receivers above are: cms.apps imports this module
# (through cms.routing) when the apps are ready.
subscriptions_registry.register_sites(root_url=record_root_url, shown=shows)
