"""Search-index updates deferred while an import writes, and done once per record per batch.

The services save a record several times (created, its children, each revision published) and
Wagtail's search index (modelsearch) re-indexes it on every save: on PostgreSQL each update
also recomputes the average title length over the whole index, so an import of thousands of
records slows down as it goes. Inside `search_index_deferred()` the saves are only noted; `flush()`
indexes each noted record once, with its model's bulk update, as `rebuild_modelsearch_index`
does.

modelsearch has no switch of its own, so its `post_save` receiver is replaced (once per
process, the first time an import runs) by one that behaves exactly as it did unless the
current thread or task is inside `search_index_deferred()`. The switch is context-local, like
Wagtail's `disable_reference_index_auto_update`: an import run eagerly inside a web process
defers nothing for the requests other threads serve."""

import logging
import threading
from contextlib import contextmanager

from asgiref.local import Local
from django.db.models.signals import post_save
from modelsearch import index
from modelsearch.backends import get_search_backends_with_name
from modelsearch.signal_handlers import post_save_signal_handler

logger = logging.getLogger(__name__)

_state = Local()
_install_lock = threading.Lock()
_installed = False


def _post_save(sender, instance, raw=False, **kwargs):
    pending = getattr(_state, "pending", None)
    if pending is None:
        post_save_signal_handler(instance=instance, raw=raw, **kwargs)
    elif not raw:
        pending.setdefault(type(instance), set()).add(instance.pk)


def _install():
    """Put `_post_save` in the place of modelsearch's receiver, for every model it indexes."""
    global _installed
    with _install_lock:
        if _installed:
            return
        for model in index.get_indexed_models():
            # Ours first, then theirs out: a save in another thread meanwhile is indexed
            # twice at worst, never missed.
            post_save.connect(_post_save, sender=model)
            if not post_save.disconnect(post_save_signal_handler, sender=model):
                # Not auto-updated (`search_auto_update = False`): leave it so.
                post_save.disconnect(_post_save, sender=model)
        _installed = True


@contextmanager
def search_index_deferred():
    """Note the records saved inside, instead of indexing each save; `flush()` indexes them.
    What is still noted when the block ends is indexed then, unless it ends with an error
    (the caller's transaction is then rolled back, and the index entries with it)."""
    if getattr(_state, "pending", None) is not None:
        yield  # nested: the outer block flushes
        return
    _install()
    _state.pending = {}
    try:
        yield
        flush()
    finally:
        del _state.pending


def flush():
    """Index every record noted since the last flush, once, with one bulk update per model."""
    pending = getattr(_state, "pending", None)
    if not pending:
        return
    _state.pending = {}
    for model, pks in pending.items():
        # The model's own queryset (with the prefetches its related search fields need) and
        # the same filter as a single update: a record it excludes is not indexed.
        objects = list(model.get_indexed_objects().filter(pk__in=pks))
        if not objects:
            continue
        for name, backend in get_search_backends_with_name(with_auto_update=True):
            try:
                backend.add_bulk(model, objects)
            except Exception:
                logger.exception("Indexing %s in the %r search backend failed", model, name)
                if not backend.catch_indexing_errors:
                    raise
