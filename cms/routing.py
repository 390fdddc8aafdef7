"""Public URLs of records. Records are not pages: each lives under its Body's index page."""

from collections.abc import Callable

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

CACHE_KEY = "record-index-urls"
INDEX_MODELS = {"motion": "cms.MotionIndexPage"}


def _index_urls() -> dict[tuple[str, int], str]:
    urls = cache.get(CACHE_KEY)
    if urls is None:
        from django.apps import apps

        urls = {}
        for kind, label in INDEX_MODELS.items():
            model = apps.get_model(label)
            for page in model.objects.live().order_by("path"):
                urls.setdefault((kind, page.body_id), page.get_url())
        cache.set(CACHE_KEY, urls, 3600)
    return urls


def register_index(kind: str, model_label: str):
    """Let another app (plans) publish its records under its own index page."""
    INDEX_MODELS[kind] = model_label
    cache.delete(CACHE_KEY)


def record_url(kind: str, body_id: int, slug: str, *, request=None) -> str | None:
    """The record's permanent URL, or None when its Body has no live index page.

    One cached lookup of the index pages, so a list of 50 links costs no queries."""
    return record_urls(kind, body_id)(slug)


def record_urls(kind: str, body_id: int, *, request=None) -> Callable[[str], str | None]:
    """`record_url` for many records of one Body: slug -> URL, with the index page looked up
    once. Exports use it, so 100,000 rows cost one cache read, not one each (a round trip
    each with Redis). With `request` the URLs are absolute: the index page's address is made
    absolute once, as slugs are ASCII and need no escaping."""
    base = _index_urls().get((kind, body_id))
    if base and request is not None:
        base = request.build_absolute_uri(base)
    return lambda slug: f"{base}{slug}/" if base else None


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
