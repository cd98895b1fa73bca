"""Redis restarted empty (no persistence) while a backlog of delivery tasks waited in it: the
tasks are gone, the outbox's rows are not; beat's sweep queues them again. Nothing lost,
nothing sent twice."""

import secrets
import subprocess
import time

from faults.reconcile import Outcome, drain, reconcile
from faults.scenarios import DRAIN_SECONDS, RATE, seconds
from faults.stack import PYTHON, ROOT, Stack
from faults.traffic import Signups

NAME = "redis-empty"
BACKLOG = seconds("FAULT_BACKLOG_SECONDS", 10)
BOUND = BACKLOG + DRAIN_SECONDS + 120
RESOLVE = "from candidates.services import intake; intake.resolve_waiting_signups()"


def run(golden) -> Outcome:
    with Stack(NAME, golden, persistent_redis=False) as stack:
        port = stack.web()
        stack.beat()
        # No worker yet: the signups wait in PostgreSQL. Resolved here as a worker would,
        # their emails are in the outbox and the delivery tasks wait in Redis.
        with Signups([port], rate=RATE, run=secrets.token_hex(3)) as traffic:
            time.sleep(BACKLOG)
        subprocess.run(  # noqa: S603 - our own command
            [PYTHON, "manage.py", "shell", "-v", "0", "-c", RESOLVE],
            env=stack.env,
            cwd=ROOT,
            check=True,
        )
        queued = stack.redis_queue_length()
        stack.redis.kill()
        stack.redis.start()
        emptied = stack.redis_queue_length() == 0
        stack.worker()
        waited = drain(stack, seconds=DRAIN_SECONDS)
        outcome = reconcile(NAME, stack, traffic)
        outcome.checks["a backlog was lost with Redis"] = emptied and queued > 0
        outcome.notes["tasks queued before"] = queued
        outcome.notes["drained in (s)"] = round(waited)
        return outcome
