"""Rate limits every web process shares: a count per hashed key and time window in the
database, raised by one conditional UPDATE, so concurrent requests in any number of
processes cannot get past the limit together.

The limit slides: the previous window counts in the proportion of it still within the last
`window` seconds (the usual sliding-window estimate), so a burst across the turn of a window
gets no double allowance. A refused request is not counted."""

import hashlib
import math
import time
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .models import RateLimit


def client_ip(request) -> str:
    """The visitor's address: REMOTE_ADDR, or behind a reverse proxy (where every request
    comes from the proxy) the header that proxy sets itself, CLIENT_IP_HEADER; never a header
    the visitor can forge. Also what the admin login lock counts by (AXES_CLIENT_IP_CALLABLE)."""
    return request.META.get(settings.CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR", "")


def _key(scope: str, value: str, window: int) -> str:
    # Hashed, so the table holds no e-mail or client address in the clear.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    return f"{scope}:{window}:{digest}"


def _at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def allow(scope: str, value: str, *, limit: int, window: int) -> bool:
    """Count this request against `value`; False when `limit` were seen in `window` seconds.

    Three queries whatever the key has seen, so the cost tells nothing either."""
    key = _key(scope, value, window)
    now = time.time()
    start = int(now // window) * window
    previous = (
        RateLimit.objects.filter(key=key, window_start=_at(start - window))
        .values_list("count", flat=True)
        .first()
    ) or 0
    # Allowed while this request plus the estimate of those before it stays within the limit.
    room = math.floor(limit - previous * (1 - (now - start) / window))
    RateLimit.objects.bulk_create(
        [RateLimit(key=key, window_start=_at(start), expires_at=_at(start + 2 * window))],
        ignore_conflicts=True,
    )
    return bool(
        RateLimit.objects.filter(key=key, window_start=_at(start), count__lt=room).update(
            count=F("count") + 1
        )
    )


def purge() -> int:
    """Delete counts that no longer count (daily, with the unconfirmed follows)."""
    deleted, _detail = RateLimit.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
