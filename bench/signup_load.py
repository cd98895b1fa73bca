"""The benchmark's clients: each GETs the signup form once for the CSRF cookie and token, then
posts valid signups of new people one after another, as fast as they are answered.

They speak HTTP/1.1 over asyncio streams, not through an HTTP library: on this 2-core machine
httpx spent 1.4 ms of CPU per request, more than the bare view it measured (0.8 ms), so the
bare view's figure was the client's; these spend about 0.2 ms."""

import asyncio
import itertools
import re
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

PATH = "/signup/"
TOKEN_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
COOKIE_RE = re.compile(rb"\r\nSet-Cookie: csrftoken=([^;\r]+)", re.IGNORECASE)
# An answer slower than this counts as an error, not a latency.
TIMEOUT = 30


def signups(run: str) -> Iterator[dict]:
    """Valid signups of new people: a fresh email and phone each (unique up to 8,000,000)."""
    election_year = str(date.today().year + 2)
    for n in itertools.count():
        yield {
            "first_name": "Bench",
            "last_name": "Signup",
            "email": f"bench-{run}-{n}@example.org",
            "phone": f"+1415{200 + n // 10_000:03d}{n % 10_000:04d}",
            "zip_code": "94110",
            "state": "CA",
            "city": "San Francisco",
            "birth_year": "1998",
            "office_level": "city_council",
            "office": "Board of supervisors",
            "election_year": election_year,
            "party": "democrat",
            "source": "friend",
            "why_run": "Rents are out of reach for everyone I grew up with.",
            "needs": ["campaign_plan", "fundraising"],
            "consent": "on",
            "website": "",
        }


@dataclass
class Load:
    """What the clients saw: the time of each answered POST, the answers, the failures."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def signups(self) -> int:
        return self.statuses[302]


class HttpError(Exception):
    pass


async def request(port: int, head: str, body: bytes = b"") -> tuple[int, bytes]:
    """One HTTP/1.1 request to 127.0.0.1:`port` on a connection of its own (gunicorn's sync
    workers close each one anyway); the status and the whole response."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            f"{head}\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n".encode()
            + body
        )
        response = await reader.read()
    finally:
        writer.close()
    if not response.startswith(b"HTTP/1."):
        raise HttpError("no HTTP response")
    return int(response[9:12]), response


async def csrf(port: int) -> tuple[str, str]:
    """As a browser: the form once, for the CSRF cookie and the token it carries."""
    status, response = await request(port, f"GET {PATH} HTTP/1.1")
    cookie, token = COOKIE_RE.search(response), TOKEN_RE.search(response)
    if status != 200 or not cookie or not token:
        raise HttpError(f"GET {PATH} gave HTTP {status} without a CSRF cookie and token")
    return cookie.group(1).decode(), token.group(1).decode()


async def _client(port: int, deadline: float, load: Load, payloads: Iterator[dict]) -> None:
    cookie, token = await csrf(port)
    # The cookie is Secure (production settings) and this is plain HTTP: sent by hand.
    head = (
        f"POST {PATH} HTTP/1.1\r\nCookie: csrftoken={cookie}\r\n"
        "Content-Type: application/x-www-form-urlencoded"
    )
    while time.monotonic() < deadline:
        body = urlencode({**next(payloads), "csrfmiddlewaretoken": token}, doseq=True)
        begin = time.perf_counter()
        try:
            status, _ = await asyncio.wait_for(request(port, head, body.encode()), TIMEOUT)
        except (OSError, TimeoutError, HttpError) as exc:
            load.errors[type(exc).__name__] += 1
            await asyncio.sleep(0.05)
            continue
        load.latencies.append(time.perf_counter() - begin)
        load.statuses[status] += 1


def run_load(port: int, *, clients: int, seconds: float, payloads: Iterator[dict]) -> Load:
    """`clients` clients posting signups to 127.0.0.1:`port` one after another for `seconds`."""
    load = Load()

    async def run_all() -> None:
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(_client(port, deadline, load, payloads) for _ in range(clients)))

    begin = time.monotonic()
    asyncio.run(run_all())
    load.seconds = time.monotonic() - begin
    return load


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` lie (linear interpolation)."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=1000, method="inclusive")[round(share * 1000) - 1]
