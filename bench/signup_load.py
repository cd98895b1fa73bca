"""The benchmark's clients: each GETs the signup form once for the CSRF cookie and token, then
posts valid signups of new people one after another, as fast as they are answered."""

import asyncio
import itertools
import re
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

PATH = "/signup/"
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


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


async def _client(base_url: str, deadline: float, load: Load, payloads: Iterator[dict]) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        # As a browser: the form once, for the CSRF cookie and the token it carries.
        form = await http.get(PATH)
        token = TOKEN_RE.search(form.text)
        cookie = form.cookies.get("csrftoken")
        if form.status_code != 200 or not token or not cookie:
            raise RuntimeError(f"GET {PATH} gave HTTP {form.status_code} without a CSRF token")
        # The cookie is Secure (production settings): sent by hand over plain HTTP.
        headers = {"Cookie": f"csrftoken={cookie}"}
        while time.monotonic() < deadline:
            data = {**next(payloads), "csrfmiddlewaretoken": token.group(1)}
            begin = time.perf_counter()
            try:
                response = await http.post(PATH, data=data, headers=headers)
            except httpx.HTTPError as exc:
                load.errors[type(exc).__name__] += 1
                await asyncio.sleep(0.05)
                continue
            load.latencies.append(time.perf_counter() - begin)
            load.statuses[response.status_code] += 1


def run_load(base_url: str, *, clients: int, seconds: float, payloads: Iterator[dict]) -> Load:
    """`clients` clients posting signups one after another for `seconds`."""
    load = Load()

    async def run_all() -> None:
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(_client(base_url, deadline, load, payloads) for _ in range(clients)))

    begin = time.monotonic()
    asyncio.run(run_all())
    load.seconds = time.monotonic() - begin
    return load


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` lie (linear interpolation)."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=1000, method="inclusive")[round(share * 1000) - 1]
