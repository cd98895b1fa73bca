"""The end of every scenario: wait for the outbox to drain, then count. Signups
acknowledged must all be stored, every email recorded must have reached the sink, and none
twice (beyond a resend after a lost answer, which keeps its Message-ID)."""

import contextlib
import time
from dataclasses import dataclass, field

from faults.stack import Stack
from faults.traffic import Signups


@dataclass
class Outcome:
    scenario: str
    acknowledged: int = 0
    stored: int = 0
    recorded: int = 0
    delivered: int = 0
    duplicates: int = 0
    # What else must hold for this scenario (name: held), and figures worth printing.
    checks: dict[str, bool] = field(default_factory=dict)
    notes: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return (
            self.stored >= self.acknowledged
            and self.recorded == self.delivered
            and self.duplicates == 0
            and all(self.checks.values())
        )

    def line(self) -> str:
        return (
            f"{self.scenario}: {'ok' if self.ok else 'FAIL'} acknowledged={self.acknowledged} "
            f"stored={self.stored} recorded={self.recorded} delivered={self.delivered} "
            f"duplicates={self.duplicates}"
        )

    def details(self) -> str:
        failed = [name for name, held in self.checks.items() if not held]
        parts = [f"{k}={v}" for k, v in self.notes.items()]
        if failed:
            parts.append(f"failed checks: {', '.join(failed)}")
        return "  " + "; ".join(parts) if parts else ""


def query(stack: Stack, sql: str, *args) -> list[tuple]:
    with contextlib.closing(stack.postgres.connect()) as connection, connection.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall()


def outbox(stack: Stack) -> dict[str, int]:
    return dict(query(stack, "SELECT status, count(*) FROM notify_notification GROUP BY status"))


def waiting_signups(stack: Stack) -> int:
    """Signups stored and not yet resolved by a worker."""
    return query(stack, "SELECT count(*) FROM candidates_waitingsignup WHERE reason = ''")[0][0]


def drain(stack: Stack, *, seconds: float) -> float:
    """Wait until every signup is resolved and every recorded email has reached the sink (at
    most `seconds`); how long."""
    begin = time.monotonic()
    while time.monotonic() - begin < seconds:
        rows = outbox(stack)
        resolved = waiting_signups(stack) == 0
        if resolved and stack.sink.delivered >= sum(rows.values()) and set(rows) <= {"sent"}:
            break
        time.sleep(1)
    return time.monotonic() - begin


def reconcile(name: str, stack: Stack, traffic: Signups | None) -> Outcome:
    stored = {email for (email,) in query(stack, "SELECT email FROM candidates_candidate")}
    recorded = {str(uuid) for (uuid,) in query(stack, "SELECT uuid FROM notify_notification")}
    received = stack.sink.ids()
    outcome = Outcome(
        name,
        acknowledged=len(traffic.acknowledged) if traffic else 0,
        stored=len(stored),
        recorded=len(recorded),
        delivered=len(received),
        duplicates=stack.sink.duplicates,
    )
    if traffic:
        lost = traffic.acknowledged - stored
        outcome.checks["every acknowledged signup stored"] = not lost
        outcome.checks["no 500"] = traffic.statuses[500] == 0
        outcome.notes["answers"] = dict(traffic.statuses)
        if traffic.errors:
            outcome.notes["no answer"] = dict(traffic.errors)
    # A Message-ID is <the row's uuid@domain>: nothing arrived that the outbox did not record.
    outcome.checks["only recorded emails received"] = {
        message_id[1:].partition("@")[0] for message_id in received
    } <= recorded
    outcome.notes["outbox"] = outbox(stack)
    if stack.sink.lost_answers:
        outcome.notes["resent after a lost answer"] = sum(stack.sink.lost_answers.values())
    return outcome
