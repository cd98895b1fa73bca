"""A stream of signups at a steady rate, in a thread, while a scenario breaks things: each
posted once (never retried), each answer kept, so the scenario can tell what was
acknowledged (302) from what was refused (503) or failed (500, no answer)."""

import asyncio
import contextlib
import itertools
import threading
import time
from collections import Counter
from urllib.parse import urlencode

from bench.signup_load import PATH, TIMEOUT, HttpError, csrf, request, signups


class Signups:
    """Signups of new people to 127.0.0.1:`ports` (in turn) at `rate` per second until
    stopped; at most `concurrency` waiting for an answer at once."""

    def __init__(self, ports: list[int], *, rate: float, run: str, concurrency: int = 16) -> None:
        self.ports, self.rate, self.concurrency = ports, rate, concurrency
        self.payloads = signups(run)
        self.acknowledged: set[str] = set()
        self.posted: set[str] = set()
        self.statuses: Counter = Counter()
        self.errors: Counter = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    def __enter__(self) -> "Signups":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(TIMEOUT + 10)

    async def _token(self, port: int) -> tuple[str, str]:
        while True:
            with contextlib.suppress(OSError, TimeoutError, HttpError):
                return await asyncio.wait_for(csrf(port), 10)
            await asyncio.sleep(0.5)

    async def _post(self, port: int, token: tuple[str, str], payload: dict, gate) -> None:
        cookie, value = token
        head = (
            f"POST {PATH} HTTP/1.1\r\nCookie: csrftoken={cookie}\r\n"
            "Content-Type: application/x-www-form-urlencoded"
        )
        body = urlencode({**payload, "csrfmiddlewaretoken": value}, doseq=True).encode()
        self.posted.add(payload["email"])
        async with gate:
            try:
                status, _ = await asyncio.wait_for(request(port, head, body), TIMEOUT)
            except (OSError, TimeoutError, HttpError) as exc:
                self.errors[type(exc).__name__] += 1
                return
        self.statuses[status] += 1
        if status == 302:
            self.acknowledged.add(payload["email"])

    async def _run(self) -> None:
        tokens = {port: await self._token(port) for port in self.ports}
        gate = asyncio.Semaphore(self.concurrency)
        pending = set()
        begin = time.monotonic()
        for n in itertools.count():
            if self._stop.is_set():
                break
            port = self.ports[n % len(self.ports)]
            task = asyncio.create_task(self._post(port, tokens[port], next(self.payloads), gate))
            pending.add(task)
            task.add_done_callback(pending.discard)
            await asyncio.sleep(max(begin + (n + 1) / self.rate - time.monotonic(), 0))
        if pending:
            await asyncio.wait(pending, timeout=TIMEOUT + 5)
