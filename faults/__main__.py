"""`make faults`: every scenario (or those named), each on servers of its own, each bounded
in time, each ending with one line:

    <scenario>: ok|FAIL acknowledged=N stored=N recorded=N delivered=N duplicates=N

    python -m faults                       # all, with the issue's durations
    python -m faults redis-down smtp-failing
    FAULT_REDIS_DOWN_SECONDS=20 FAULT_SMTP_FAILING_SECONDS=30 python -m faults

Exits 1 if any scenario failed. Logs: var/faults/<scenario>/."""

import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

from faults.reconcile import Outcome
from faults.scenarios import (
    postgres_crash,
    postgres_restart,
    redis_down,
    redis_empty,
    scale_out,
    smtp_failing,
    worker_kill,
    worker_term,
)
from faults.stack import golden_cluster

SCENARIOS = {
    module.NAME: module
    for module in (
        redis_down,
        redis_empty,
        worker_kill,
        worker_term,
        postgres_restart,
        postgres_crash,
        smtp_failing,
        scale_out,
    )
}


class Overtime(Exception):
    pass


def _overtime(signum, frame) -> None:
    raise Overtime


def _interrupt(signum, frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        raise SystemExit(f"unknown scenario(s) {unknown}; there are {list(SCENARIOS)}")
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGALRM, _overtime)
    folder = Path(tempfile.mkdtemp(prefix="rfs-faults-"))
    folder.chmod(0o755)  # PostgreSQL runs as its own user when we are root
    results: list[Outcome] = []
    begin = time.monotonic()
    try:
        print("[faults] a migrated PostgreSQL cluster for the scenarios to copy ...", flush=True)
        golden = golden_cluster(folder)
        for name in names or list(SCENARIOS):
            module = SCENARIOS[name]
            print(f"[faults] {name} (at most {module.BOUND:.0f} s) ...", flush=True)
            started = time.monotonic()
            signal.alarm(int(module.BOUND))
            try:
                outcome = module.run(golden)
            except Overtime:
                outcome = Outcome(name, checks={f"finished within {module.BOUND:.0f} s": False})
            except Exception as exc:
                traceback.print_exc()
                outcome = Outcome(name, checks={f"ran ({type(exc).__name__})": False})
            finally:
                signal.alarm(0)
            outcome.notes["took (s)"] = round(time.monotonic() - started)
            results.append(outcome)
            print(outcome.line(), flush=True)
            print(outcome.details(), flush=True)
    except KeyboardInterrupt:
        print("[faults] interrupted: everything it started is stopped", flush=True)
        return 130
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print()
    print(
        f"[faults] {len(results)} scenario(s) in {time.monotonic() - begin:.0f} s; load "
        f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; logs in var/faults/"
    )
    for outcome in results:
        print(outcome.line())
    return 0 if all(outcome.ok for outcome in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
