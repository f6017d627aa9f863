"""Fixed-window counters in the cache (Redis in production, shared by every worker): how many
times one client did one thing in the current window. Used where there is no account to lock:
the public application form and its tracking page."""

import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    """``count`` actions per ``seconds``; a count of 0 switches the limit off."""

    count: int
    seconds: int


def _window(limit: Limit, now: float) -> tuple[int, int]:
    start = int(now // limit.seconds) * limit.seconds
    return start, start + limit.seconds


def hit(action: str, client: str, limit: Limit, *, now: float | None = None) -> int:
    """Count one action of ``client`` and return the seconds to wait before the next is
    allowed: 0 when this one is within the limit."""
    if limit.count <= 0:
        return 0
    now = time.time() if now is None else now
    start, end = _window(limit, now)
    key = f"ratelimit:{action}:{client}:{start}"
    # add() then incr(): atomic on Redis and on the local memory cache alike.
    cache.add(key, 0, timeout=limit.seconds + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=limit.seconds + 1)
        used = 1
    return 0 if used <= limit.count else max(1, int(end - now))
