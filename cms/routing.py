"""Public URLs of records. Records are not pages: each lives under its Body's index page.

With several sites a record's address depends on where it is shown: on a site that holds
its index page it is relative (with the path fallback's script prefix), elsewhere and
without a request (e-mails, tasks) it is absolute on the municipality's own site."""

from collections.abc import Callable

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import get_script_prefix
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished

from . import sites

CACHE_KEY = "record-index-urls"
# kind -> (the index page model that publishes it, the name of the route showing one record)
INDEX_MODELS = {"motion": ("cms.MotionIndexPage", "motion_detail")}
# A slug is a path segment that needs no escaping: the detail route is reversed around it once.
SLUG_MARKER = "slug-marker"


def _index_pages() -> dict:
    """(kind, body id) -> where its index page is on each site that holds it, deepest site
    root first: [(site id, the site's root URL, the page's path on that site)], and whether
    the installation has one site only. Cached until a page or a site is written."""
    found = cache.get(CACHE_KEY)
    if found is None:
        from django.apps import apps

        places, site_ids = {}, set()
        for kind, (label, _route) in INDEX_MODELS.items():
            model = apps.get_model(label)
            for page in model.objects.live().order_by("path"):
                roots = page._get_relevant_site_root_paths()
                site_ids |= {root.site_id for root in page._get_site_root_paths()}
                # wagtail_serve is mounted at the root of cms.urls: a page's path on a site
                # is its url_path below the site's root page.
                places.setdefault(
                    (kind, page.body_id),
                    [
                        (root.site_id, root.root_url, "/" + page.url_path[len(root.root_path) :])
                        for root in roots
                    ],
                )
        found = {"places": places, "single_site": len(site_ids) <= 1}
        cache.set(CACHE_KEY, found, 3600)
    return found


def _locate(places, single_site: bool) -> str | None:
    """The address of a page from the site being served: relative (under the script prefix,
    "/boras/" with the path fallback) on a site that holds the page, or with one site only;
    else absolute on the deepest site that holds it, the municipality's own (e-mails, tasks)."""
    if not places:
        return None
    current = sites.current_site_id()
    for site_id, _root_url, path in places:
        if site_id == current:
            return get_script_prefix() + path[1:]
    if single_site:
        return get_script_prefix() + places[0][2][1:]
    _site_id, root_url, path = places[0]
    return root_url + path


def _index_urls() -> dict[tuple[str, int], str]:
    """(kind, body id) -> the address of its index page, as seen from the site being served."""
    found = _index_pages()
    return {
        key: url
        for key, places in found["places"].items()
        if (url := _locate(places, found["single_site"]))
    }


def register_index(kind: str, model_label: str, detail_route: str):
    """Let another app (plans) publish its records under its own index page, each record at
    the page's route `detail_route` (a `@path` taking the record's slug)."""
    INDEX_MODELS[kind] = (model_label, detail_route)
    cache.delete(CACHE_KEY)


def route_url(kind: str, index_url: str, route: str, *args) -> str:
    """`index_url` (the address of an index page for `kind`) joined to its route `route`:
    `reverse_subpage` without loading the page, as Wagtail's `routablepageurl` joins them."""
    from django.apps import apps

    label, _detail = INDEX_MODELS[kind]
    return index_url + apps.get_model(label).get_resolver().reverse(route, *args)


def subpage_url(kind: str, body_id: int, route: str, *args) -> str | None:
    """The address of a route of a Body's index page for `kind`, or None when its Body has
    no live index page."""
    base = index_url(kind, body_id)
    return route_url(kind, base, route, *args) if base else None


def record_url(kind: str, body_id: int, slug: str, *, request=None) -> str | None:
    """The record's permanent URL, or None when its Body has no live index page.

    One cached lookup of the index pages, so a list of 50 links costs no queries."""
    return subpage_url(kind, body_id, INDEX_MODELS[kind][1], slug)


def record_urls(kind: str, body_id: int, *, request=None) -> Callable[[str], str | None]:
    """`record_url` for many records of one Body: slug -> URL, with the index page looked up
    once. Exports use it, so 100,000 rows cost one cache read, not one each (a round trip
    each with Redis). With `request` the URLs are absolute: the index page's address is made
    absolute once, as slugs are ASCII and need no escaping."""
    _label, detail = INDEX_MODELS[kind]
    marked = subpage_url(kind, body_id, detail, SLUG_MARKER)
    if marked is None:
        return lambda slug: None
    if request is not None:
        marked = request.build_absolute_uri(marked)
    # reverse() costs some 30 µs: once per call here, not once per row of a 100,000-row export.
    head, _marker, tail = marked.rpartition(SLUG_MARKER)
    return lambda slug: f"{head}{slug}{tail}"


def index_url(kind: str, body_id: int) -> str | None:
    found = _index_pages()
    return _locate(found["places"].get((kind, body_id)), found["single_site"])


@receiver(page_published)
@receiver(page_unpublished)
def _forget_index_urls(**kwargs):
    cache.delete(CACHE_KEY)


@receiver(post_save)
@receiver(post_delete)
def _forget_index_urls_on_page_write(sender, **kwargs):
    """Any page saved or deleted, of any page type (a signal's sender is the concrete class,
    so connecting to Page alone would miss an index page saved without publishing)."""
    if issubclass(sender, Page | Site):
        cache.delete(CACHE_KEY)
