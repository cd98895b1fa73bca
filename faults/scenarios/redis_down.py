"""Redis stopped during a stream of signups, then started again with its data (an
append-only file, as a production broker keeps): every signup succeeds (or gets a clear 503,
never a 500), and every email goes out once after Redis is back."""

import secrets
import time

from faults.reconcile import Outcome, drain, reconcile
from faults.scenarios import DRAIN_SECONDS, RATE, seconds
from faults.stack import Stack
from faults.traffic import Signups

NAME = "redis-down"
DOWN = seconds("FAULT_REDIS_DOWN_SECONDS", 120)
BOUND = DOWN + DRAIN_SECONDS + 120


def run(golden) -> Outcome:
    with Stack(NAME, golden, persistent_redis=True) as stack:
        port = stack.web()
        stack.worker()
        stack.beat()
        with Signups([port], rate=RATE, run=secrets.token_hex(3)) as traffic:
            time.sleep(5)
            stack.redis.stop()
            time.sleep(DOWN)
            stack.redis.start()
            time.sleep(5)
        waited = drain(stack, seconds=DRAIN_SECONDS)
        outcome = reconcile(NAME, stack, traffic)
        outcome.checks["signups went on without Redis"] = traffic.statuses[302] > RATE * DOWN / 2
        outcome.notes["emails delivered within (s) of the signups' end"] = round(waited)
        return outcome
