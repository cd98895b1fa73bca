"""Calls to Redis that a request can do without: a rate limit's count, a cached setting, the
outbox's doorbell. When Redis is down or hung, the first such call waits for its socket
timeout; the calls after it, for a few seconds, do without at once, so a request never
waits on Redis more than once."""

import logging
import secrets
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from celery import current_app
from django.core.cache import cache

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


def ring(doorbell: str, task_name: str, *, seconds: int = 60) -> None:
    """Wake a worker for stored work: one Redis command, and a task only when none is on its
    way (the task unsets `doorbell` before it looks for work, so nothing stored after that is
    missed). Redis or the broker down: the work waits for its sweep; the change that stored it
    has committed and must not fail. The task is named, not imported: the ground knows none."""
    if not guarded(doorbell, lambda: cache.add(doorbell, 1, seconds), fallback=False):
        return
    try:
        current_app.send_task(task_name)
    except Exception as exc:  # the broker's outage must not fail the caller
        logger.warning("could not wake a worker, the sweep will: %s", type(exc).__name__)


class KeptSettings(Generic[T]):
    """Settings read from the database that change rarely and are read by every request of
    some kind: each process keeps what it read, under a version kept in Redis, so a use costs
    one short GET (no value to unpickle). forget() drops the version: every process reads the
    database again at its next use. With Redis down, the database answers every use."""

    def __init__(self, key: str, read: Callable[[], T], *, seconds: int) -> None:
        self.key, self.read, self.seconds = key, read, seconds
        # (version, value), replaced in one assignment, so threads never see half of it.
        self._kept: tuple[str, T] | None = None

    def get(self) -> T:
        version = guarded(self.key, lambda: cache.get(self.key), fallback=None)
        kept = self._kept
        if version is not None and kept is not None and kept[0] == version:
            return kept[1]
        value = self.read()
        if version is None:
            version = secrets.token_hex(8)
            # Another process set one first: keep nothing now, its version is read next time.
            if not guarded(
                self.key, lambda: cache.add(self.key, version, self.seconds), fallback=False
            ):
                return value
        self._kept = (version, value)
        return value

    def forget(self) -> None:
        # Redis down: processes keep what they read until its version expires (`seconds`),
        # which bounds how long a change made during an outage goes unseen.
        guarded(self.key, lambda: cache.delete(self.key), fallback=None)
