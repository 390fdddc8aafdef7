"""Keyset (cursor) pagination, shared by the API, the feeds and the exports: the thousandth page
costs what the first does, because every page seeks in the index after the last row's key."""

import base64
import json
from dataclasses import dataclass
from datetime import date

from django.db.models import Q


@dataclass(frozen=True)
class Keyset:
    """Order by `fields` (all descending or all ascending) and continue after a cursor.

    The cursor is an opaque, URL-safe encoding of the last row's key values."""

    fields: tuple[str, ...]
    descending: bool = True

    @property
    def ordering(self) -> list[str]:
        return [f"-{f}" if self.descending else f for f in self.fields]

    def encode(self, obj) -> str:
        """The cursor after `obj`: a model instance, or a dict from a `.values()` queryset."""
        values = [obj[f] if isinstance(obj, dict) else getattr(obj, f) for f in self.fields]
        raw = json.dumps([v.isoformat() if isinstance(v, date) else v for v in values])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def decode(self, model, cursor: str) -> list:
        """The key values in a cursor; ValueError for anything we did not issue.

        Each value passes its model field's own checks, the database's integer range among
        them, so a forged cursor is refused here and never reaches a query."""
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            values = json.loads(raw)
        except (
            ValueError
        ) as exc:  # base64's, JSON's and Unicode's errors (a non-ASCII cursor) alike
            raise ValueError("malformed cursor") from exc
        if not isinstance(values, list) or len(values) != len(self.fields):
            raise ValueError("malformed cursor")
        try:
            return [
                model._meta.get_field(f).clean(v, None)
                for f, v in zip(self.fields, values, strict=True)
            ]
        except Exception as exc:  # django.core.exceptions.ValidationError and friends
            raise ValueError("malformed cursor") from exc

    def after(self, queryset, values: list):
        """Rows strictly after the key `values` in this ordering (a row-value comparison, spelled out)."""
        op = "lt" if self.descending else "gt"
        condition = Q()
        for i, field in enumerate(self.fields):
            step = Q(**{f"{f}": values[j] for j, f in enumerate(self.fields[:i])}) & Q(
                **{f"{field}__{op}": values[i]}
            )
            condition |= step
        # The bound on the first field alone lets the database seek in the index instead of
        # walking it from the start: the deep page then costs what the first does.
        bound = Q(**{f"{self.fields[0]}__{op}e": values[0]})
        return queryset.filter(bound & condition)

    def page(self, queryset, *, cursor: str | None, limit: int):
        """(rows, next_cursor): one query for the rows plus the queryset's prefetches."""
        queryset = queryset.order_by(*self.ordering)
        if cursor:
            queryset = self.after(queryset, self.decode(queryset.model, cursor))
        rows = list(queryset[: limit + 1])
        more = len(rows) > limit
        rows = rows[:limit]
        return rows, (self.encode(rows[-1]) if more and rows else None)

    def pages(self, queryset, *, size: int):
        """Every row, as lists of at most `size` rows, each one keyset page: memory stays flat
        for any count, and a caller can read what the rows share once per list."""
        cursor = None
        while True:
            rows, cursor = self.page(queryset, cursor=cursor, limit=size)
            if rows:
                yield rows
            if not cursor:
                return

    def batches(self, queryset, *, size: int):
        """Every row, read in keyset pages of `size`."""
        for rows in self.pages(queryset, size=size):
            yield from rows


BY_ID = Keyset(("id",), descending=False)
