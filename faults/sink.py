"""An SMTP server that can fail on purpose. It keeps each accepted message's Message-ID, so a
scenario counts what arrived and what arrived twice; and it knows which messages it accepted
without answering (the lost-answer case), the only ones the outbox may send again.

Modes, switched while it runs:
  ok       accept every message
  failing  in turn: hold the answer until the client times out, refuse with a 5xx, a 4xx, and
           accept but never answer (the message arrived; the sender cannot know)
  slow     hold each answer SLOW_SECONDS, then accept unless the client went away
"""

import asyncio
import contextlib
import email.parser
import itertools
import threading
import time
from collections import Counter
from collections.abc import Iterator

from aiosmtpd.controller import Controller

from faults.servers import free_port

FAILURES = ("timeout", "5xx", "4xx", "drop-answer")


class FaultySink:
    def __init__(self, *, hold_seconds: float = 10.0, slow_seconds: float = 5.0) -> None:
        self.mode = "ok"
        self.hold_seconds, self.slow_seconds = hold_seconds, slow_seconds
        self.received: list[tuple[str, float]] = []  # (Message-ID, when) of accepted messages
        self.lost_answers: Counter = Counter()  # accepted, answer never sent
        self.failures: Counter = Counter()
        self._turn = itertools.cycle(FAILURES)
        self._lock = threading.Lock()

    def _accept(self, message_id: str) -> None:
        with self._lock:
            self.received.append((message_id, time.time()))

    async def handle_DATA(self, server, session, envelope) -> str:
        headers = email.parser.BytesHeaderParser().parsebytes(envelope.content)
        message_id = headers.get("Message-ID", "")
        if self.mode == "failing":
            failure = next(self._turn)
            self.failures[failure] += 1
            if failure == "5xx":
                return "554 5.3.0 Mail system failing"
            if failure == "4xx":
                return "451 4.3.0 Try again later"
            if failure == "drop-answer":
                self._accept(message_id)
                self.lost_answers[message_id] += 1
            await asyncio.sleep(self.hold_seconds)  # the client times out first
            return "451 4.4.2 Too late"
        if self.mode == "slow":
            await asyncio.sleep(self.slow_seconds)
            if server.transport is None or server.transport.is_closing():
                return "421 4.4.2 Gone"  # never answered: not accepted
        self._accept(message_id)
        return "250 Message accepted"

    @contextlib.contextmanager
    def running(self) -> Iterator[int]:
        controller = Controller(self, hostname="127.0.0.1", port=free_port())
        controller.start()
        try:
            yield controller.port
        finally:
            controller.stop()

    def ids(self) -> Counter:
        with self._lock:
            return Counter(message_id for message_id, _ in self.received)

    @property
    def delivered(self) -> int:
        return len(self.ids())

    @property
    def duplicates(self) -> int:
        """Messages received more than once, beyond the resends a lost answer allows."""
        return sum(
            max(count - 1 - self.lost_answers[message_id], 0)
            for message_id, count in self.ids().items()
        )
