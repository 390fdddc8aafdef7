"""What a visitor may follow. The domain apps register their models here from their
`AppConfig.ready()`, so this leaf app never imports them."""

_followable: dict[str, type] = {}


def register(kind: str, model: type) -> None:
    """Let visitors follow records of `model` under the name `kind` ("motion")."""
    _followable[kind] = model


def followable_models() -> dict[str, type]:
    return dict(_followable)


# Where a record is published. The site layer registers both from its `AppConfig.ready()`;
# without it (one site, a test of this app alone) every record is on the one site at
# settings.WAGTAILADMIN_BASE_URL.
_root_url = None  # (model, pk) -> the absolute root URL of the site publishing it, or None
_shown = None  # (request, obj) -> whether the site serving `request` publishes `obj`


def register_sites(*, root_url, shown) -> None:
    """`root_url(model, pk)` gives the address of the site that publishes a record (links in
    e-mails point there); `shown(request, obj)` says whether the request's site publishes it
    (a municipality's site shows only its own records, also on the follow pages)."""
    global _root_url, _shown
    _root_url, _shown = root_url, shown


def root_url(model, pk) -> str | None:
    return _root_url(model, pk) if _root_url and model is not None else None


def shown(request, obj) -> bool:
    return _shown(request, obj) if _shown else True
