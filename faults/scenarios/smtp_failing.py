"""The SMTP server failing for a while (answers that time out, 5xx and 4xx refusals, and
messages accepted whose answer never comes) during signups: each failed attempt is retried
after a backoff with jitter; a message accepted without an answer is sent again with the
same Message-ID (the only resend allowed), nothing else twice; staff are alerted once the
oldest unsent email is older than the alert age; all goes out once the server is back.

The backoff's unit is scaled to the failure's length (a sixtieth of it) so that retries
straddle it as they would with the production unit (a minute) against a real outage."""

import secrets
import time

from faults.reconcile import Outcome, drain, query, reconcile
from faults.scenarios import DRAIN_SECONDS, seconds
from faults.sink import FAILURES
from faults.stack import Stack
from faults.traffic import Signups

NAME = "smtp-failing"
FAILING = seconds("FAULT_SMTP_FAILING_SECONDS", 600)
BACKOFF = max(int(FAILING // 60), 1)
ALERT_AFTER = max(int(FAILING // 2), 5)
BOUND = FAILING + DRAIN_SECONDS + 64 * BACKOFF + 120


def run(golden) -> Outcome:
    extra = {
        "OUTBOX_BACKOFF_SECONDS": str(BACKOFF),
        "OUTBOX_ALERT_SECONDS": str(ALERT_AFTER),
        "OUTBOX_MAX_ATTEMPTS": "12",
        "EMAIL_TIMEOUT": "2",
    }
    with Stack(NAME, golden, env_extra=extra) as stack:
        stack.sink.hold_seconds = 5
        port = stack.web()
        stack.worker()
        stack.beat()
        stack.sink.mode = "failing"
        began = time.monotonic()
        with Signups([port], rate=1, run=secrets.token_hex(3)) as traffic:
            time.sleep(min(FAILING / 2, 60))
        time.sleep(max(FAILING - (time.monotonic() - began), 0))
        stack.sink.mode = "ok"
        waited = drain(stack, seconds=DRAIN_SECONDS + 64 * BACKOFF)
        outcome = reconcile(NAME, stack, traffic)
        alerts = query(
            stack, "SELECT count(*) FROM notify_notification WHERE template='outbox_stale'"
        )[0][0]
        attempts = query(stack, "SELECT max(attempts), avg(attempts) FROM notify_notification")
        failures = stack.sink.failures
        outcome.checks["every kind of failure met"] = all(failures[kind] for kind in FAILURES)
        outcome.checks["staff alerted once"] = alerts == 1
        outcome.checks["none given up"] = "failed" not in outcome.notes["outbox"]
        outcome.notes["failures"] = dict(failures)
        outcome.notes["attempts max/avg"] = f"{attempts[0][0]}/{float(attempts[0][1]):.1f}"
        outcome.notes["drained after the server came back (s)"] = round(waited)
        return outcome
