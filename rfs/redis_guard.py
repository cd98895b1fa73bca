"""Calls to Redis that a request can do without: a rate limit's count, a cached setting, the
outbox's doorbell. When Redis is down or hung, the first such call waits for its socket
timeout; the calls after it, for a few seconds, do without at once, so a request never
waits on Redis more than once."""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")
# After a failure, Redis is left alone this many seconds.
PAUSE_SECONDS = 5.0
_paused_until = 0.0


def guarded(what: str, call: Callable[[], T], *, fallback: T) -> T:
    """call(), or `fallback` when it fails (or failed a moment ago); a failure is logged."""
    global _paused_until
    if time.monotonic() < _paused_until:
        return fallback
    try:
        return call()
    except Exception as exc:  # down, hung or refusing: the caller goes on without it
        _paused_until = time.monotonic() + PAUSE_SECONDS
        logger.warning(
            "Redis unavailable for %s (%s): going without it for %d s",
            what,
            type(exc).__name__,
            PAUSE_SECONDS,
        )
        return fallback
