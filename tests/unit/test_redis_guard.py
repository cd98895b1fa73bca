"""After a failed call, Redis is left alone a few seconds: a request waits on it once."""

import logging

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
