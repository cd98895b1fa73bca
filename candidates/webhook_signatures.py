"""How a webhook body is signed, both ways: partner forms sign what they post to us, and we
sign what we post to the organisation's other tools."""

import hashlib
import hmac


def signature(secret: str, *, timestamp: str, body: bytes) -> str:
    """`sha256=` and the hex HMAC-SHA256, under `secret`, of `<timestamp>.<body>`."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()
