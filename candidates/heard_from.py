"""The answers to "How did you hear about us?" that apps above this one offer by name.

The signup form offers, besides the plain sources (press, a friend ...), named answers
that another app provides: the organisations it knows, say. Each app registers a prefix
and a function listing its current options in its AppConfig.ready(); the answer is kept
on the submission as "<prefix>:<id>" (Submission.heard_from), and the app that registered
the prefix reads its own answers back. This app never knows what the options are.
"""

from collections.abc import Callable

# Prefix -> a function giving the current [(id, label)] options, in the order to show them.
_OPTIONS: dict[str, Callable[[], list[tuple[str, str]]]] = {}


def register(prefix: str, options: Callable[[], list[tuple[str, str]]]) -> None:
    """Offer `options()` as answers "<prefix>:<id>"; registering again replaces it."""
    _OPTIONS[prefix] = options


def choices() -> list[tuple[str, str]]:
    """Every named answer on offer now, as (value, label)."""
    return [
        (f"{prefix}:{key}", label)
        for prefix, options in _OPTIONS.items()
        for key, label in options()
    ]


def answer(prefix: str, key: str) -> str:
    """The value kept for the option `key` of `prefix`."""
    return f"{prefix}:{key}"
