"""The worker writes headers that need no folding as they are (delivery.Headers): what it
sends must be byte for byte what the library's own policy (compat32) writes."""

import random
import string
from email.policy import compat32

import pytest
from django.utils import timezone

from rfs.notify import calendar, delivery, kinds, services

# Printable ASCII, the whitespace folding splits at, and the control characters that
# email.header.Header takes for line breaks.
ALPHABET = string.ascii_letters + string.digits + " \t;,.<>@=-_:/\"'()" + "\x0b\x0c\x1c\x1d\x1e"
NAMES = ["Subject", "To", "From", "Message-ID", "List-Unsubscribe", "X-RFS-Notification", "A"]


def _written(policy, method: str, name: str, value: str):
    """What `policy` writes, or the error it raises (compat32 refuses a value with what looks
    like a header of its own after a line break)."""
    try:
        return getattr(policy, method)(name, value)
    except Exception as exc:
        return type(exc)


def test_random_headers_are_written_as_compat32_writes_them():
    rng = random.Random(20261207)
    policies = [
        (compat32, delivery.HEADERS),
        (compat32.clone(linesep="\r\n"), delivery.HEADERS.clone(linesep="\r\n")),
        (compat32.clone(max_line_length=None), delivery.HEADERS.clone(max_line_length=None)),
    ]
    as_is = 0
    for _ in range(20_000):
        name = rng.choice(NAMES)
        value = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 100)))
        if rng.random() < 0.5:  # most real values are plain text
            value = value.translate(str.maketrans("", "", "\t\x0b\x0c\x1c\x1d\x1e")).strip()
        for library, ours in policies:
            for method in ("fold", "fold_binary"):
                expected = _written(library, method, name, value)
                assert _written(ours, method, name, value) == expected, (method, name, value)
        as_is += delivery.HEADERS._as_is(name, value) is not None
    # The shortcut is taken for most of them, and not for all.
    assert 5_000 < as_is < 20_000


def _messages() -> list:
    unsubscribable = next(name for name, direct in kinds.registered().items() if not direct)
    invite = calendar.event(
        uid="call-1@example.org",
        sequence=0,
        starts_at=timezone.now(),
        ends_at=timezone.now(),
        summary="Screening call",
    )
    rows = [
        services.record(
            key="ack:plain",
            to="ada@example.org",
            template="signup_confirmation",
            context={"name": "Ada", "privacy_path": "/privacy/"},
        ),
        services.record(
            key="ack:accents",
            to="jose@example.org",
            template="signup_confirmation",
            context={"name": "José Ñúñez", "privacy_path": "/es/privacy/"},
            language="es",
        ),
        services.record(
            key="notice:long",
            to="grace@example.org",
            template="notice",
            context={
                "heading": "A subject long enough to be folded over more than one line " * 2,
                "message": "Hello.",
                "name": "Grace",
            },
            attachments=[calendar.attachment(invite)],
        ),
        services.record(
            key="unsubscribable", to="lin@example.org", template=unsubscribable, context={}
        ),
    ]
    return [delivery._message(row, connection=None).message() for row in rows]


@pytest.mark.django_db
def test_the_outbox_messages_are_written_as_compat32_writes_them(settings):
    settings.RFS_OUTBOX_BOUNCE_DOMAIN = "bounces.example.org"
    messages = _messages()
    assert any("List-Unsubscribe" in message for message in messages)
    for message in messages:
        assert message.policy is delivery.HEADERS
        ours = message.as_bytes(linesep="\r\n")
        message.policy = compat32
        assert ours == message.as_bytes(linesep="\r\n")
