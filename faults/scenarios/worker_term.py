"""SIGTERM to the worker during a backlog, as a deploy does, and a new worker started at
once: the stopping worker finishes its batch and takes no other (the stop flag), hands the
rest to the queue, and the new worker goes on within seconds, not after the broker's
visibility timeout (an hour) nor a stale claim's timeout."""

import secrets
import signal
import time

from faults.reconcile import Outcome, drain, query, reconcile
from faults.scenarios import DRAIN_SECONDS, RATE, seconds
from faults.stack import Stack
from faults.traffic import Signups

NAME = "worker-term"
BACKLOG = seconds("FAULT_BACKLOG_SECONDS", 10)
BOUND = BACKLOG + DRAIN_SECONDS + 180


def run(golden) -> Outcome:
    with Stack(NAME, golden, env_extra={"OUTBOX_STALE_CLAIM_SECONDS": "600"}) as stack:
        port = stack.web()
        stack.beat()
        with Signups([port], rate=RATE * 4, run=secrets.token_hex(3)) as traffic:
            time.sleep(BACKLOG)
        stack.sink.mode, stack.sink.slow_seconds = "slow", 0.1
        stack.worker()
        while stack.sink.delivered < 3:
            time.sleep(0.1)
        term = time.monotonic()
        stack.stop("worker", signal.SIGTERM)
        stopped = time.monotonic() - term
        before = stack.sink.delivered
        stack.worker("worker2")
        total = len(traffic.acknowledged)
        while stack.sink.delivered == before < total and time.monotonic() - term < 120:
            time.sleep(0.1)
        resumed = time.monotonic() - term
        drain(stack, seconds=DRAIN_SECONDS)
        drained = time.monotonic() - term
        outcome = reconcile(NAME, stack, traffic)
        left = query(stack, "SELECT count(*) FROM notify_notification WHERE status<>'sent'")
        outcome.checks["the old worker stopped within 30 s"] = stopped < 30
        outcome.checks["all sent within 90 s of SIGTERM"] = drained < 90
        outcome.checks["nothing left claimed"] = left[0][0] == 0
        outcome.notes["worker stopped after (s)"] = round(stopped, 1)
        outcome.notes["sent by the old worker before it stopped"] = before
        outcome.notes["the new worker sending after (s)"] = round(resumed, 1)
        outcome.notes["all sent after (s)"] = round(drained)
        return outcome
