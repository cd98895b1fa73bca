"""Counting what one address or one person does in a window of time, in Redis.

A limit fails open: with Redis down or hung, the request goes on (and a warning is
logged), because turning every signup away while Redis restarts loses more than a few
minutes without a rate limit does.
"""

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def within_limit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one more event under `key` in the current window; False once past `limit`."""
    bucket = cache.make_and_validate_key(f"limit:{key}:{int(time.time() // window_seconds)}")
    try:
        # One round trip: the count, and an expiry set by the window's first event.
        client = cache._cache.get_client(bucket, write=True)
        pipeline = client.pipeline(transaction=False)
        pipeline.incr(bucket)
        pipeline.expire(bucket, window_seconds + 60, nx=True)
        count, _ = pipeline.execute()
    except Exception as exc:  # Redis down or hung: fail open, say so
        logger.warning("rate limit %s not counted: %s", key.split(":", 1)[0], type(exc).__name__)
        return True
    return count <= limit
