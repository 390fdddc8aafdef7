"""Public URLs of records. Records are not pages: each lives under its Body's index page."""

from collections.abc import Callable

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

CACHE_KEY = "record-index-urls"
# kind -> (the index page model that publishes it, the name of the route showing one record)
INDEX_MODELS = {"motion": ("cms.MotionIndexPage", "motion_detail")}
# A slug is a path segment that needs no escaping: the detail route is reversed around it once.
SLUG_MARKER = "slug-marker"


def _index_urls() -> dict[tuple[str, int], str]:
    urls = cache.get(CACHE_KEY)
    if urls is None:
        from django.apps import apps

        urls = {}
        for kind, (label, _route) in INDEX_MODELS.items():
            model = apps.get_model(label)
            for page in model.objects.live().order_by("path"):
                urls.setdefault((kind, page.body_id), page.get_url())
        cache.set(CACHE_KEY, urls, 3600)
    return urls


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
    base = _index_urls().get((kind, body_id))
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
    return _index_urls().get((kind, body_id))


@receiver(page_published)
@receiver(page_unpublished)
def _forget_index_urls(**kwargs):
    cache.delete(CACHE_KEY)


@receiver(post_save)
@receiver(post_delete)
def _forget_index_urls_on_page_write(sender, **kwargs):
    """Any page saved or deleted, of any page type (a signal's sender is the concrete class,
    so connecting to Page alone would miss an index page saved without publishing)."""
    if issubclass(sender, Page):
        cache.delete(CACHE_KEY)
