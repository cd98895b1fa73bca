"""After a failed call, Redis is left alone a few seconds: a request waits on it once."""

import logging

from django.core.cache import cache

from rfs import redis_guard


def test_a_failure_pauses_calls_then_they_resume(monkeypatch, caplog):
    clock = {"now": 100.0}
    monkeypatch.setattr(redis_guard.time, "monotonic", lambda: clock["now"])
    calls = []

    def failing():
        calls.append("failing")
        raise ConnectionError("refused")

    def working():
        calls.append("working")
        return "answer"

    with caplog.at_level(logging.WARNING, logger="rfs.redis_guard"):
        assert redis_guard.guarded("a count", failing, fallback="none") == "none"
    assert "Redis unavailable for a count (ConnectionError)" in caplog.text
    clock["now"] += redis_guard.PAUSE_SECONDS - 1
    assert redis_guard.guarded("a count", working, fallback="none") == "none"
    assert calls == ["failing"]
    clock["now"] += 2
    assert redis_guard.guarded("a count", working, fallback="none") == "answer"
    assert calls == ["failing", "working"]


def test_kept_settings_are_read_once_per_process_until_forgotten():
    reads = []
    kept = redis_guard.KeptSettings("test:kept", lambda: reads.append(1) or len(reads), seconds=60)
    assert (kept.get(), kept.get()) == (1, 1)
    kept.forget()
    assert (kept.get(), kept.get()) == (2, 2)
    # Another process (its own copy) reads the database once, then keeps it too.
    other = redis_guard.KeptSettings("test:kept", lambda: reads.append(1) or len(reads), seconds=60)
    assert (other.get(), other.get()) == (3, 3)
    assert kept.get() == 2


def test_kept_settings_come_from_the_database_while_redis_is_down(monkeypatch):
    monkeypatch.setattr(redis_guard, "_paused_until", float("inf"))
    reads = []
    kept = redis_guard.KeptSettings("test:kept", lambda: reads.append(1) or len(reads), seconds=60)
    assert (kept.get(), kept.get()) == (1, 2)


def test_a_process_asks_for_the_version_at_most_once_a_second(monkeypatch):
    clock = {"now": 100.0}
    monkeypatch.setattr(redis_guard.time, "monotonic", lambda: clock["now"])
    reads = []
    kept = redis_guard.KeptSettings("test:kept", lambda: reads.append(1) or len(reads), seconds=60)
    assert kept.get() == 1
    # Another process's forget() drops the version: this one does not ask again at once...
    cache.delete("test:kept")
    clock["now"] += redis_guard.CHECKED_EVERY_SECONDS / 2
    assert kept.get() == 1
    # ...and reads the database at its first use after the interval.
    clock["now"] += redis_guard.CHECKED_EVERY_SECONDS
    assert (kept.get(), kept.get()) == (2, 2)
    # A version it already knows keeps its copy for another interval.
    clock["now"] += redis_guard.CHECKED_EVERY_SECONDS * 2
    assert kept.get() == 2
    assert reads == [1, 1]


def test_forget_here_drops_every_copy_of_this_process_not_the_versions():
    reads = []
    kept = redis_guard.KeptSettings("test:kept", lambda: reads.append(1) or len(reads), seconds=60)
    assert kept.get() == 1
    version = cache.get("test:kept")
    redis_guard.KeptSettings.forget_here()
    assert kept.get() == 2
    assert cache.get("test:kept") == version
