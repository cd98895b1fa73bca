"""An SMTP server for benchmarks: it accepts every message on a loopback port and keeps, of
each, its identity and recipients, so a run can count what arrived and what arrived twice."""

import contextlib
import email.parser
import socket
from collections import Counter
from collections.abc import Iterator

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MailSink:
    """An SMTP server on a loopback port that keeps, of each message, its identity (the outbox's
    X-RFS-Notification header, else the Message-ID) and its recipients."""

    def __init__(self) -> None:
        self.received: list[tuple[str, tuple[str, ...]]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        headers = email.parser.BytesHeaderParser().parsebytes(envelope.content)
        key = headers.get("X-RFS-Notification") or headers.get("Message-ID") or ""
        self.received.append((key, tuple(envelope.rcpt_tos)))
        return "250 Message accepted"

    @contextlib.contextmanager
    def running(self) -> Iterator[int]:
        """Serve on a free port (yielded) in a thread of its own until the block ends."""
        controller = Controller(self, hostname="127.0.0.1", port=free_port())
        controller.start()
        try:
            yield controller.port
        finally:
            controller.stop()

    @property
    def count(self) -> int:
        return len(self.received)

    @staticmethod
    def sent_twice(received: list[tuple[str, tuple[str, ...]]]) -> tuple[int, int]:
        """Messages beyond the first with the same identity, and with the same recipients."""
        by_key = Counter(key for key, _ in received)
        by_recipients = Counter(recipients for _, recipients in received)
        return (
            sum(n - 1 for n in by_key.values()),
            sum(n - 1 for n in by_recipients.values()),
        )
