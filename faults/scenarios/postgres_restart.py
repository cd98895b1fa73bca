"""PostgreSQL restarted (a clean fast shutdown, down for a while, started again) during a
stream of signups: 503s during the gap, never a 500; the app recovers without a restart of
its own; every acknowledged signup is stored and its email sent once."""

import secrets
import time

from faults.reconcile import Outcome, drain, reconcile
from faults.scenarios import DRAIN_SECONDS, RATE, seconds
from faults.stack import Stack
from faults.traffic import Signups

NAME = "postgres-restart"
DOWN = seconds("FAULT_POSTGRES_DOWN_SECONDS", 20)
BOUND = DOWN + DRAIN_SECONDS + 120


def run(golden) -> Outcome:
    with Stack(NAME, golden) as stack:
        port = stack.web()
        stack.worker()
        stack.beat()
        with Signups([port], rate=RATE, run=secrets.token_hex(3)) as traffic:
            time.sleep(5)
            stack.postgres.stop()
            time.sleep(DOWN)
            refused = traffic.statuses[503]
            stack.postgres.start()
            before = traffic.statuses[302]
            time.sleep(10)
            after = traffic.statuses[302] - before
        waited = drain(stack, seconds=DRAIN_SECONDS)
        outcome = reconcile(NAME, stack, traffic)
        outcome.checks["503s while it was down"] = refused > 0
        outcome.checks["signups again after it was back"] = after > RATE * 5
        outcome.notes["drained in (s)"] = round(waited)
        return outcome
