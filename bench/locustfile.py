"""`make load`'s people, for locust (headless, started by bench/load.py): a press spike of
would-be candidates signing up with a person's think time, 10 staff on the dashboard and
candidate list, 20 screeners claiming the next candidate and logging calls within their
claim caps. Request names carry the phase (idle, spike) so each page's figures can be
compared with its idle ones.

The people are locust's FastHttpUser (geventhttpclient): they share the 2 cores with the
system they measure, and python-requests' HttpUser cost twice the CPU a request (1.2 against
0.6 ms here). Production settings mark cookies Secure and this is plain HTTP on loopback,
so each user keeps its cookies and sends them by hand."""

import itertools
import os
import random
import re
import time
from datetime import date
from urllib.parse import urlencode

from locust import FastHttpUser, LoadTestShape, between, constant_pacing, events, task

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RELEASE_RE = re.compile(r'action="(/screening/claims/[0-9a-f-]+/release/)"')
CANDIDATE_RE = re.compile(r'href="(/candidates/[0-9a-f-]{36}/)"')
# The staff's and screeners' logins (a password hash each) come first, unmeasured.
WARMUP = float(os.environ.get("LOAD_WARMUP_SECONDS", 30))
IDLE = float(os.environ.get("LOAD_IDLE_SECONDS", 60))
RAMP = float(os.environ.get("LOAD_RAMP_SECONDS", 60))
HOLD = float(os.environ.get("LOAD_SPIKE_SECONDS", 600))
RATE = float(os.environ.get("LOAD_SIGNUP_RATE", 50))
IDLE_RATE = float(os.environ.get("LOAD_IDLE_RATE", 1))
STAFF = int(os.environ.get("LOAD_STAFF", 10))
SCREENERS = int(os.environ.get("LOAD_SCREENERS", 20))
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
# One signup every PACE seconds per person (the form, reading and typing, the post).
PACE = 10.0
RUN = os.environ.get("LOAD_RUN", "load")
_numbers = itertools.count()
_started = time.monotonic()


def phase() -> str:
    elapsed = time.monotonic() - _started
    return "warmup" if elapsed < WARMUP else "idle" if elapsed < WARMUP + IDLE else "spike"


@events.test_start.add_listener
def _test_start(environment, **kwargs) -> None:
    global _started
    _started = time.monotonic()


class Person(FastHttpUser):
    abstract = True

    def on_start(self) -> None:
        self.jar: dict[str, str] = {}

    def call(
        self,
        method: str,
        path: str,
        label: str,
        *,
        expect: int | None = None,
        data: dict | None = None,
    ):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items())}
        body = None
        if data is not None:
            # A list is several values of one field, as a browser posts a checkbox group.
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(data, doseq=True)
        with self.client.request(
            method,
            path,
            name=f"{phase()} {label}",
            data=body,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            for cookie in response.headers.getlist("Set-Cookie") if response.headers else ():
                name, _, value = cookie.split(";", 1)[0].partition("=")
                self.jar[name.strip()] = value
            if response.status_code >= 400:
                response.failure(f"HTTP {response.status_code}")
            elif expect and response.status_code != expect:
                response.failure(f"HTTP {response.status_code}, not {expect}")
            else:
                response.success()
            return response

    def token(self, response) -> str:
        match = TOKEN_RE.search(response.text or "")
        return match.group(1) if match else ""

    def log_in(self, email: str) -> None:
        form = self.call("GET", "/accounts/login/", "login form")
        self.call(
            "POST",
            "/accounts/login/",
            "login",
            data={"login": email, "password": PASSWORD, "csrfmiddlewaretoken": self.token(form)},
            expect=302,
        )


class WouldBeCandidate(Person):
    wait_time = constant_pacing(PACE)

    @task
    def sign_up(self) -> None:
        form = self.call("GET", "/signup/", "GET /signup/")
        time.sleep(random.uniform(3, 6))  # reading and typing
        n = next(_numbers)
        data = {
            "first_name": "Load",
            "last_name": "Signup",
            "email": f"{RUN}-{os.getpid()}-{n}@example.org",
            "phone": f"+1415{300 + n // 10_000:03d}{n % 10_000:04d}",
            "zip_code": "94110",
            "state": "CA",
            "city": "San Francisco",
            "birth_year": "1990",
            "office_level": "city_council",
            "office": "Board of supervisors",
            "election_year": str(date.today().year + 2),
            "party": "democrat",
            "source": "press",
            "why_run": "Our schools need someone who has taught in them.",
            "needs": ["campaign_plan"],
            "consent": "on",
            "website": "",
            "csrfmiddlewaretoken": self.token(form),
        }
        # Accepted is a redirect to the thank-you page; the form again means it was refused.
        self.call("POST", "/signup/", "POST /signup/", data=data, expect=302)


class Staff(Person):
    fixed_count = STAFF
    wait_time = between(5, 15)
    _ids = itertools.count()

    def on_start(self) -> None:
        super().on_start()
        self.log_in(f"load-staff-{next(self._ids) % max(STAFF, 1)}@example.org")

    @task(2)
    def dashboard(self) -> None:
        self.call("GET", "/dashboard/", "dashboard")

    @task(3)
    def candidates(self) -> None:
        page = self.call("GET", "/candidates/", "candidate list")
        found = CANDIDATE_RE.findall(page.text or "")
        if found:
            self.call("GET", random.choice(found), "candidate page")


class Screener(Person):
    fixed_count = SCREENERS
    wait_time = between(10, 30)
    _ids = itertools.count()

    def on_start(self) -> None:
        super().on_start()
        self.log_in(f"load-screener-{next(self._ids) % max(SCREENERS, 1)}@example.org")

    @task
    def screen_next(self) -> None:
        queue = self.call("GET", "/screening/", "screening queue")
        claimed = self.call(
            "POST",
            "/screening/claim-next/",
            "claim next",
            data={"csrfmiddlewaretoken": self.token(queue)},
        )
        location = claimed.headers.get("Location", "")
        if "/screening/candidates/" not in location:
            return  # nobody waiting, or at the claim cap
        page = self.call("GET", location, "claimed candidate")
        time.sleep(random.uniform(5, 10))  # the call
        token = self.token(page)
        self.call(
            "POST",
            f"{location}attempts/",
            "log call",
            data={"kind": "no_answer", "note": "", "csrfmiddlewaretoken": token},
        )
        release = RELEASE_RE.search(page.text or "")
        if release:
            self.call("POST", release.group(1), "release", data={"csrfmiddlewaretoken": token})


class PressSpike(LoadTestShape):
    """A warm-up and an idle phase (IDLE_RATE signups/s), a ramp to RATE signups/s over RAMP
    s, RATE for HOLD s."""

    def tick(self):
        t = self.get_run_time() - WARMUP
        if t < IDLE:  # the warm-up too
            rate = IDLE_RATE
        elif t < IDLE + RAMP:
            rate = IDLE_RATE + (RATE - IDLE_RATE) * (t - IDLE) / max(RAMP, 1)
        elif t < IDLE + RAMP + HOLD:
            rate = RATE
        else:
            return None
        users = STAFF + SCREENERS + max(round(rate * PACE), 1)
        return users, max(RATE * PACE / max(RAMP, 1), 5)
