"""How a webhook body is signed, both ways: partner forms and the mail provider sign what
they post to us, and we sign what we post to the organisation's other tools. One rule, for
every signed post: `sha256=` and the hex HMAC-SHA256 of `<timestamp>.<body>`, made within a
few minutes of now, so a captured request cannot be replayed later."""

import hashlib
import hmac
from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

# A signed request older (or newer) than this is refused: a captured one cannot be replayed.
SIGNATURE_WINDOW = timedelta(minutes=5)


def signature(secret: str, *, timestamp: str, body: bytes) -> str:
    """`sha256=` and the hex HMAC-SHA256, under `secret`, of `<timestamp>.<body>`."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def timestamp_is_fresh(timestamp: str, *, window: timedelta = SIGNATURE_WINDOW) -> bool:
    """`timestamp` is Unix seconds within `window` of now."""
    try:
        at = int(timestamp)
    except (TypeError, ValueError):
        return False
    return abs(timezone.now().timestamp() - at) <= window.total_seconds()


def signature_matches(secrets: Iterable[str], *, timestamp: str, sent: str, body: bytes) -> bool:
    """`sent` is the signature of `body` by one of `secrets`, made within SIGNATURE_WINDOW of
    now. Every secret is compared, in constant time, so the answer's timing tells nothing."""
    if not timestamp_is_fresh(timestamp):
        return False
    found = False
    for value in secrets:
        expected = signature(value, timestamp=timestamp, body=body)
        found |= hmac.compare_digest(expected.encode(), (sent or "").encode())
    return found
