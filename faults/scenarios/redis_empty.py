"""Redis restarted empty (no persistence) while a backlog of delivery tasks waited in it: the
tasks are gone, the outbox's rows are not; beat's sweep queues them again. Nothing lost,
nothing sent twice."""

import secrets
import time

from faults.reconcile import Outcome, drain, outbox, reconcile
from faults.scenarios import DRAIN_SECONDS, RATE, seconds
from faults.stack import Stack
from faults.traffic import Signups

NAME = "redis-empty"
BACKLOG = seconds("FAULT_BACKLOG_SECONDS", 10)
BOUND = BACKLOG + DRAIN_SECONDS + 120


def run(golden) -> Outcome:
    with Stack(NAME, golden, persistent_redis=False) as stack:
        port = stack.web()
        stack.beat()
        # No worker yet: the signups' delivery tasks wait in Redis.
        with Signups([port], rate=RATE, run=secrets.token_hex(3)) as traffic:
            time.sleep(BACKLOG)
        queued = stack.redis_queue_length()
        stack.redis.kill()
        stack.redis.start()
        emptied = stack.redis_queue_length() == 0
        stack.worker()
        waited = drain(stack, seconds=DRAIN_SECONDS)
        outcome = reconcile(NAME, stack, traffic)
        outcome.checks["a backlog was lost with Redis"] = emptied and outbox(stack) != {}
        outcome.notes["tasks queued before"] = queued
        outcome.notes["drained in (s)"] = round(waited)
        return outcome
