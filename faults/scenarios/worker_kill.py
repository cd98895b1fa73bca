"""`kill -9` of the worker's pool processes while one is sending (the SMTP server is slow to
answer): the message was never accepted, its row stays claimed until the stale-claim time,
then is claimed again and sent exactly once. The killed task is redelivered once (acks late)
and finds nothing due: no endless redelivery."""

import re
import secrets
import signal
import time
from collections import Counter

from faults.reconcile import Outcome, drain, query, reconcile
from faults.scenarios import DRAIN_SECONDS
from faults.stack import Stack
from faults.traffic import Signups

NAME = "worker-kill"
BOUND = DRAIN_SECONDS + 150


def _sending(stack: Stack) -> int:
    return query(stack, "SELECT count(*) FROM notify_notification WHERE status='sending'")[0][0]


def run(golden) -> Outcome:
    with Stack(NAME, golden) as stack:
        port = stack.web()
        stack.worker()
        stack.beat()
        stack.sink.mode = "slow"
        with Signups([port], rate=2, run=secrets.token_hex(3)) as traffic:
            time.sleep(3)
        deadline = time.monotonic() + 30
        while not _sending(stack) and time.monotonic() < deadline:
            time.sleep(0.2)
        claimed = _sending(stack)
        killed = stack.children("worker")
        for pid in killed:
            stack.kill_pid(pid, signal.SIGKILL)
        stack.sink.mode = "ok"
        waited = drain(stack, seconds=DRAIN_SECONDS)
        outcome = reconcile(NAME, stack, traffic)
        attempts = query(stack, "SELECT max(attempts) FROM notify_notification")[0][0]
        log = (stack.logs / "worker.log").read_text()
        received = Counter(re.findall(r"deliver_due\[([0-9a-f-]+)\] received", log))
        outcome.checks["rows were claimed when the pool was killed"] = claimed > 0
        outcome.checks["each row tried at most twice"] = (attempts or 0) <= 2
        # A killed task comes back once (acks late), finds its rows claimed, and is done.
        outcome.checks["no endless redelivery"] = max(received.values(), default=0) <= 2
        outcome.notes["delivery tasks run again"] = sum(n - 1 for n in received.values())
        outcome.notes["claimed rows killed"] = claimed
        outcome.notes["processes killed"] = len(killed)
        outcome.notes["sent again after (s)"] = round(waited)
        return outcome
