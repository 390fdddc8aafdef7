"""What a visitor may follow. The domain apps register their models here from their
`AppConfig.ready()`, so this leaf app never imports them."""

_followable: dict[str, type] = {}


def register(kind: str, model: type) -> None:
    """Let visitors follow records of `model` under the name `kind` ("motion")."""
    _followable[kind] = model


def followable_models() -> dict[str, type]:
    return dict(_followable)
