"""An SMTP server for benchmarks: it accepts every message on a loopback port and keeps, of
each, its identity and recipients, so a run can count what arrived and what arrived twice.

It speaks just enough SMTP for a client that sends mail (EHLO or HELO, MAIL, RCPT, DATA, RSET,
NOOP, QUIT) on an asyncio protocol of its own. It shares the cores it measures: aiosmtpd's
server cost 0.82 to 0.87 ms of CPU a message here (batches of 50 from Django's SMTP backend),
most of the bare view's whole request, and this one 0.24 to 0.35 ms. (faults/sink.py, which
must fail on purpose, uses aiosmtpd.)"""

import asyncio
import contextlib
import re
import socket
import threading
from collections import Counter
from collections.abc import Iterator

END_OF_DATA = b"\r\n.\r\n"
# A header's continuation lines, joined to it before the identity is read.
FOLD = re.compile(rb"\r\n[ \t]+")
IDENTITY = re.compile(rb"^(X-RFS-Notification|Message-ID):[ \t]*(.*?)[ \t\r]*$", re.I | re.M)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def identity(content: bytes) -> str:
    """The outbox's X-RFS-Notification header, else the Message-ID, else ""."""
    end = content.find(b"\r\n\r\n")
    headers = content if end < 0 else content[:end]  # a message with no body is all headers
    found = {name.lower(): value for name, value in IDENTITY.findall(FOLD.sub(b" ", headers))}
    value = found.get(b"x-rfs-notification") or found.get(b"message-id") or b""
    return value.decode("ascii", "replace")


class _Session(asyncio.Protocol):
    """One client's connection: commands line by line, then a message up to its lone dot."""

    def __init__(self, sink: "MailSink") -> None:
        self.sink = sink
        self.buffer = bytearray()
        self.recipients: list[str] = []
        self.in_data = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(b"220 127.0.0.1 bench sink\r\n")

    def data_received(self, chunk: bytes) -> None:
        self.buffer += chunk
        while self.transport is not None:
            if self.in_data:
                end = self.buffer.find(END_OF_DATA)
                if end < 0:
                    return
                content = bytes(self.buffer[:end])
                del self.buffer[: end + len(END_OF_DATA)]
                self.sink.received.append((identity(content), tuple(self.recipients)))
                self.in_data, self.recipients = False, []
                self.transport.write(b"250 2.0.0 Message accepted\r\n")
                continue
            end = self.buffer.find(b"\r\n")
            if end < 0:
                return
            line = bytes(self.buffer[:end])
            del self.buffer[: end + 2]
            self._command(line)

    def _command(self, line: bytes) -> None:
        verb = line[:4].upper()
        if verb == b"RCPT":
            address = line.partition(b":")[2].strip().strip(b"<>")
            self.recipients.append(address.decode("utf-8", "replace"))
            answer = b"250 2.1.5 OK"
        elif verb == b"DATA":
            self.in_data = True
            answer = b"354 End data with <CR><LF>.<CR><LF>"
        elif verb in (b"MAIL", b"RSET"):
            self.recipients = []
            answer = b"250 2.0.0 OK"
        elif verb in (b"EHLO", b"HELO", b"NOOP"):
            answer = b"250 127.0.0.1"
        elif verb == b"QUIT":
            self.transport.write(b"221 2.0.0 Bye\r\n")
            self.transport.close()
            self.transport = None
            return
        else:
            answer = b"502 5.5.2 Not implemented"
        self.transport.write(answer + b"\r\n")

    def connection_lost(self, exc) -> None:
        self.transport = None


class MailSink:
    """An SMTP server on a loopback port that keeps, of each message, its identity (the outbox's
    X-RFS-Notification header, else the Message-ID) and its recipients."""

    def __init__(self) -> None:
        self.received: list[tuple[str, tuple[str, ...]]] = []

    @contextlib.contextmanager
    def running(self) -> Iterator[int]:
        """Serve on a free port (yielded) in a thread with an event loop of its own (the
        calling thread may be running one) until the block ends."""
        loop = asyncio.new_event_loop()
        started: list = []  # the port, or why the server could not start
        ready = threading.Event()

        def serve() -> None:
            try:
                server = loop.run_until_complete(
                    loop.create_server(lambda: _Session(self), "127.0.0.1", free_port())
                )
                started.append(server.sockets[0].getsockname()[1])
            except Exception as exc:
                started.append(exc)
                return
            finally:
                ready.set()
            loop.run_forever()
            server.close()
            loop.run_until_complete(server.wait_closed())

        thread = threading.Thread(target=serve, name="mail sink", daemon=True)
        thread.start()
        ready.wait(timeout=10)
        try:
            if not started or isinstance(started[0], Exception):
                raise RuntimeError(f"the mail sink did not start: {started}")
            yield started[0]
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=10)
            loop.close()

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
