"""The stack past one machine, in miniature: two web processes and two workers (as on other
machines) against one database and one Redis, with exactly one beat. Signups go to both web
processes in turn; both workers deliver. No email twice and no outbox row claimed twice
(each sent at its first attempt: a claim is a conditional UPDATE with SKIP LOCKED)."""

import secrets
import time

from faults.reconcile import Outcome, drain, query, reconcile
from faults.scenarios import DRAIN_SECONDS, RATE, seconds
from faults.stack import Stack
from faults.traffic import Signups

NAME = "scale-out"
LOAD = seconds("FAULT_SCALE_OUT_SECONDS", 30)
BOUND = LOAD + DRAIN_SECONDS + 150


def run(golden) -> Outcome:
    with Stack(NAME, golden) as stack:
        ports = [stack.web("web1"), stack.web("web2")]
        stack.worker("worker1")
        stack.worker("worker2")
        stack.beat()
        with Signups(ports, rate=RATE * 2, run=secrets.token_hex(3)) as traffic:
            time.sleep(LOAD)
        waited = drain(stack, seconds=DRAIN_SECONDS)
        outcome = reconcile(NAME, stack, traffic)
        twice = query(stack, "SELECT count(*) FROM notify_notification WHERE attempts > 1")
        outcome.checks["no row claimed twice"] = twice[0][0] == 0
        by_worker = {
            name: (stack.logs / f"{name}.log").read_text().count("deliver_due[")
            for name in ("worker1", "worker2")
        }
        served = {
            name: (stack.logs / f"{name}.log").read_text().count('"POST /signup/')
            for name in ("web1", "web2")
        }
        outcome.checks["both web processes served"] = all(served.values())
        outcome.notes["signups per web"] = served
        outcome.notes["delivery task lines per worker"] = by_worker
        outcome.notes["drained in (s)"] = round(waited)
        return outcome
