"""Counting what one address or one person does in a window of time, in Redis.

A limit fails open: with Redis down or hung, the request goes on (and a warning is
logged), because turning every signup away while Redis restarts loses more than a few
minutes without a rate limit does.
"""

import time

from django.core.cache import cache

from rfs.redis_guard import guarded


def within_limit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one more event under `key` in the current window; False once past `limit`."""
    bucket = cache.make_and_validate_key(f"limit:{key}:{int(time.time() // window_seconds)}")

    def count() -> int:
        # One round trip: the window's first event creates the key with its expiry (SET NX),
        # every event counts (INCR). Both work on any Redis we may meet.
        client = cache._cache.get_client(bucket, write=True)
        pipeline = client.pipeline(transaction=False)
        pipeline.set(bucket, 0, ex=window_seconds + 60, nx=True)
        pipeline.incr(bucket)
        return pipeline.execute()[1]

    # Redis down or hung: the limit fails open (and the guard logs it).
    return guarded(f"the {key.split(':', 1)[0]} rate limit", count, fallback=0) <= limit
