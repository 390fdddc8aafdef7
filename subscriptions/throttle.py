"""A sliding-window rate limit kept in Django's cache (one list of timestamps per key).

Read-modify-write is not atomic across processes, so a burst can overshoot by a few
requests; that is enough to stop a form being used to mail-bomb an address."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, value: str) -> str:
    # Hashed, so the cache holds no e-mail address in the clear.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def allow(scope: str, value: str, *, limit: int, window: int) -> bool:
    """Count this request against `value`; False when `limit` were seen in `window` seconds."""
    key = _key(scope, value)
    now = time.time()
    recent = [t for t in cache.get(key, []) if t > now - window]
    if len(recent) >= limit:
        return False
    recent.append(now)
    cache.set(key, recent, window)
    return True
