"""Public reads from a read replica (`DATABASE_REPLICA_URL`), everything else from the primary.

Only what an anonymous visitor reads goes to the replica: GET and HEAD requests outside the
admin, without a session (pages, search, feeds, the API, exports). A signed-in user, a form
post, the admin, the workers and beat read the primary, so an editor always sees what was just
saved and a task never decides on data the replica has not received yet. A visitor may see a
publish a moment late, as long as the replica lags; a cached page can be older anyway.
"""

import contextvars

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_public_read = contextvars.ContextVar("public_read", default=False)


class PublicReadMiddleware:
    """Marks the requests whose reads may go to the replica (placed before the session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _public_read.set(is_public_read(request))
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)


def is_public_read(request) -> bool:
    return (
        request.method in {"GET", "HEAD"}
        and not request.path_info.startswith("/admin/")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _public_read.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows, one copy behind the other

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica receives the primary's schema by replication
