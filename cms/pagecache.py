"""Whole-page cache for anonymous visitors of the public record pages, emptied by every write.

A version number in the shared cache is part of every key. Any saved or deleted content row
(motions, plans, pages, view restrictions, documents) bumps it once its transaction commits,
so no visitor is served a page older than the last publish or unpublish. Writes that bypass
signals (`QuerySet.update()`, `bulk_create`) must call `invalidate()` or wait out the timeout.

Off unless `PAGE_CACHE_SECONDS` > 0, which base settings only do when `CACHE_URL` names a
shared cache: with a per-process cache one worker could not empty the others' copies.
Only pages whose `serve` is wrapped with `@cacheable` are stored, and only after Wagtail's
view restrictions let an anonymous visitor through. The CSRF token of the language form is
stored as a placeholder and filled in per visitor, as the uncached page would be.
"""

import hashlib
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import get_token

VERSION_KEY = "pagecache:version"
CONTENT_APPS = {"motions", "plans", "cms", "wagtailcore", "wagtaildocs", "wagtailimages"}
TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
PLACEHOLDER = b"__pagecache_csrf_token__"


def cacheable(serve):
    """Mark the responses of a page's `serve` as safe to store for anonymous visitors."""

    @wraps(serve)
    def wrapper(self, request, *args, **kwargs):
        response = serve(self, request, *args, **kwargs)
        if not getattr(request, "is_preview", False):
            response.page_cacheable = True
        return response

    return wrapper


def invalidate():
    """Forget every cached page (after this transaction commits)."""
    transaction.on_commit(_bump)


def _new_version() -> int:
    """A fresh version never used before, even if the cache lost the counter (eviction, restart)."""
    return time.time_ns()


def _bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, _new_version(), None)


@receiver(post_save)
@receiver(post_delete)
@receiver(m2m_changed)
def _content_changed(sender, **kwargs):
    if getattr(settings, "PAGE_CACHE_SECONDS", 0) and sender._meta.app_label in CONTENT_APPS:
        invalidate()


class PageCacheMiddleware:
    """Serves stored pages before Wagtail routes the request; stores what `@cacheable` pages render."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self.key(request)
        if key is None:
            return self.get_response(request)
        stored = cache.get(key)
        if stored is not None:
            content, content_type = stored
            response = HttpResponse(
                content.replace(PLACEHOLDER, get_token(request).encode()), content_type=content_type
            )
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            getattr(response, "page_cacheable", False)
            and response.status_code == 200
            and not response.cookies
        ):
            content = TOKEN.sub(rb"\1" + PLACEHOLDER + rb"\2", response.content)
            cache.set(key, (content, response["Content-Type"]), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def key(request) -> str | None:
        """The cache key, or None when this request must be rendered for the visitor alone."""
        if not getattr(settings, "PAGE_CACHE_SECONDS", 0) or request.method != "GET":
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
            return None  # signed in, or a message waiting to be shown
        version = cache.get_or_set(VERSION_KEY, _new_version, None)
        page = f"{request.scheme}:{request.get_host()}:{request.LANGUAGE_CODE}:{request.get_full_path()}"
        return f"pagecache:{version}:{hashlib.sha256(page.encode()).hexdigest()}"
