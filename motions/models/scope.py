"""Where a record belongs, for the admin's access rule (`motions.access`)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """How a model's rows find their municipality and, for officers, their organ: lookups
    from the model (`"body"`, `"motion__body"`). Declared on the model as `access_scope`."""

    bodies: tuple[str, ...] = ()
    organs: tuple[str, ...] = ()
    shared: bool = False  # one list for every municipality (topics): read by all, written by none
    distinct: bool = False  # a lookup runs through a to-many relation and can repeat a row
