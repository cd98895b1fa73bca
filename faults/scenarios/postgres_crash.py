"""`kill -9` of PostgreSQL (the postmaster and every backend at once) during a stream of
signups, then started again: crash recovery replays the log, and every signup that was
acknowledged before the crash is there (a commit is acknowledged only once it is durable)."""

import secrets
import time

from faults.reconcile import Outcome, drain, query, reconcile
from faults.scenarios import DRAIN_SECONDS, RATE
from faults.stack import Stack
from faults.traffic import Signups

NAME = "postgres-crash"
BOUND = DRAIN_SECONDS + 150


def run(golden) -> Outcome:
    with Stack(NAME, golden) as stack:
        port = stack.web()
        stack.worker()
        stack.beat()
        with Signups([port], rate=RATE * 2, run=secrets.token_hex(3)) as traffic:
            time.sleep(8)
            stack.postgres.kill()
            acknowledged_before = set(traffic.acknowledged)
            time.sleep(2)
            stack.postgres.start()
            time.sleep(8)
        waited = drain(stack, seconds=DRAIN_SECONDS)
        outcome = reconcile(NAME, stack, traffic)
        stored = {email for (email,) in query(stack, "SELECT email FROM candidates_candidate")}
        outcome.checks["every signup acknowledged before the crash survived"] = (
            acknowledged_before <= stored
        )
        outcome.notes["acknowledged before the crash"] = len(acknowledged_before)
        outcome.notes["drained in (s)"] = round(waited)
        return outcome
