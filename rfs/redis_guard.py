"""Calls to Redis that a request can do without: a rate limit's count, a cached setting, the
outbox's doorbell. When Redis is down or hung, the first such call waits for its socket
timeout; the calls after it, for a few seconds, do without at once, so a request never
waits on Redis more than once."""

import logging
import secrets
import time
import weakref
from collections.abc import Callable
from typing import ClassVar, Generic, TypeVar

from celery import current_app
from django.core.cache import cache

logger = logging.getLogger(__name__)

T = TypeVar("T")
# After a failure, Redis is left alone this many seconds.
PAUSE_SECONDS = 5.0
# How often a process asks whether settings it keeps have changed: a change made in another
# process reaches it within this time.
CHECKED_EVERY_SECONDS = 1.0
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
    some kind: each process keeps what it read, under a version kept in Redis, and asks for
    the version at most once every CHECKED_EVERY_SECONDS (one short GET, no value to
    unpickle), so a busy process does not ask on every use. forget() drops the version and
    this process's copy: this process reads the database at its next use, every other
    within CHECKED_EVERY_SECONDS. With Redis down, the database answers every use after that."""

    # Every instance in this process, for forget_here().
    _instances: ClassVar[weakref.WeakSet] = weakref.WeakSet()

    def __init__(self, key: str, read: Callable[[], T], *, seconds: int) -> None:
        self.key, self.read, self.seconds = key, read, seconds
        # (version, value, when to ask for the version again), replaced in one assignment,
        # so threads never see half of it.
        self._kept: tuple[str, T, float] | None = None
        KeptSettings._instances.add(self)

    def get(self) -> T:
        kept, now = self._kept, time.monotonic()
        if kept is not None and now < kept[2]:
            return kept[1]
        version = guarded(self.key, lambda: cache.get(self.key), fallback=None)
        if version is not None and kept is not None and kept[0] == version:
            self._kept = (version, kept[1], now + CHECKED_EVERY_SECONDS)
            return kept[1]
        value = self.read()
        if version is None:
            version = secrets.token_hex(8)
            # Another process set one first: keep nothing now, its version is read next time.
            if not guarded(
                self.key, lambda: cache.add(self.key, version, self.seconds), fallback=False
            ):
                return value
        self._kept = (version, value, now + CHECKED_EVERY_SECONDS)
        return value

    def forget(self) -> None:
        self._kept = None
        # Redis down: other processes keep what they read until its version expires
        # (`seconds`), which bounds how long a change made during an outage goes unseen.
        guarded(self.key, lambda: cache.delete(self.key), fallback=None)

    @classmethod
    def forget_here(cls) -> None:
        """Drop every copy this process keeps (not the versions): each is read at its next
        use, as after a restart."""
        for kept in list(cls._instances):
            kept._kept = None
