"""Where a record's public page is. Only the site layer (`cms`) knows its index pages: it
registers its router here when it starts, and records ask through this module, so the domain
apps never import the layer above them. Without a site (a shell, a task before the apps are
ready) every address is None, as for a municipality with no live index page."""

_router = None


def register(router) -> None:
    """`router` answers `record_url(kind, body_id, slug)` and `subpage_url(kind, body_id,
    route, *args)` (see `cms.routing`)."""
    global _router
    _router = router


def record_url(kind: str, body_id: int, slug: str) -> str | None:
    return _router.record_url(kind, body_id, slug) if _router else None


def subpage_url(kind: str, body_id: int, route: str, *args) -> str | None:
    return _router.subpage_url(kind, body_id, route, *args) if _router else None
