"""When the public data last changed, for the footer of every page ("Uppgifterna ändrades senast").

Every saved or deleted content row (the page cache's `CONTENT_APPS`) stores the time in the
cache once its transaction commits, so a page reads it without a query. When the cache has
no time (a fresh or restarted cache, or another process's own cache), the newest entry of
Wagtail's logs, which every publish, edit and lifecycle step writes, gives it in one query.
Without a shared cache each process keeps the time a minute at most, so a change made through
another process shows within that minute.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from cms.pagecache import CONTENT_APPS

KEY = "freshness:changed_at"


def _timeout() -> int | None:
    return None if settings.CACHE_URL else 60


def last_changed():
    changed = cache.get(KEY)
    if changed is None:
        from wagtail.models import ModelLogEntry, PageLogEntry

        newest = [
            model.objects.aggregate(newest=Max("timestamp"))["newest"]
            for model in (ModelLogEntry, PageLogEntry)
        ]
        changed = max((value for value in newest if value), default=None)
        if changed is None:
            return None
        cache.set(KEY, changed, _timeout())
    return changed


def data_changed(request):
    """The template calls it only where it is shown, so feeds, the API and errors pay nothing."""
    return {"data_changed_at": last_changed}


def _store_now():
    cache.set(KEY, timezone.now(), _timeout())


@receiver(post_save)
@receiver(post_delete)
def _content_changed(sender, **kwargs):
    if sender._meta.app_label in CONTENT_APPS:
        transaction.on_commit(_store_now)
