"""Counting what one address or one person does in a window of time, in the cache (Redis)."""

import time

from django.core.cache import cache


def within_limit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one more event under `key` in the current window; False once past `limit`."""
    window = int(time.time() // window_seconds)
    bucket = f"limit:{key}:{window}"
    # add() is a no-op when the key exists, so the first event of the window starts the count.
    cache.add(bucket, 0, timeout=window_seconds + 60)
    try:
        count = cache.incr(bucket)
    except ValueError:  # the key expired between add() and incr()
        cache.add(bucket, 1, timeout=window_seconds + 60)
        count = 1
    return count <= limit
