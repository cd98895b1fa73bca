"""`make load` (a press spike, then its email backlog drained) and `make soak` (a steady
rate for a long while, memory watched), with locust, headless, against the whole system on
servers of its own (as the fault scenarios run it: faults/stack.py): gunicorn with 3 sync
workers, a Celery worker (concurrency 2) and beat, production settings and timings, a local
SMTP sink.

People (bench/locustfile.py): staff and screeners log in during LOAD_WARMUP_SECONDS (not
measured); would-be candidates sign up with think time, at LOAD_IDLE_RATE signups/s for
LOAD_IDLE_SECONDS (the idle figures), then ramping over
LOAD_RAMP_SECONDS to LOAD_SIGNUP_RATE and holding it LOAD_SPIKE_SECONDS; 10 staff on the
dashboard and candidate list; 20 screeners claiming and logging calls.

    python -m bench.load                 # the spike: 50 signups/s for 10 minutes
    python -m bench.load soak            # 5 signups/s for 30 minutes, memory at start and end
    LOAD_SIGNUP_RATE=10 LOAD_SPIKE_SECONDS=60 LOAD_IDLE_SECONDS=30 python -m bench.load

It reports p50/p95 per page and phase, errors, the emails' time from signup to sent, the
backlog's drain time, gunicorn's and the worker's memory at start and end, and where the
cores went during the spike (CPU from /proc: gunicorn, PostgreSQL's backends, the worker,
beat, Redis, locust, this process with its SMTP sink, and the rest of the machine), against
the goals; then each request as gunicorn timed it, and what a probe outside locust saw. Exits
1 if something was lost, sent twice or answered 5xx."""

import contextlib
import csv
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from bench.probe import INTERVAL as PROBE_INTERVAL
from bench.procstat import CpuMeter
from faults.reconcile import drain, query, reconcile
from faults.stack import PYTHON, ROOT, Stack, golden_cluster

SOAK = sys.argv[1:] == ["soak"]
if SOAK:  # defaults of the soak: a steady 5 signups/s for 30 minutes
    for name, value in (
        ("LOAD_SIGNUP_RATE", "5"),
        ("LOAD_SPIKE_SECONDS", "1800"),
        ("LOAD_RAMP_SECONDS", "10"),
        ("LOAD_IDLE_SECONDS", "30"),
    ):
        os.environ.setdefault(name, value)
DRAIN_SECONDS = float(os.environ.get("LOAD_DRAIN_SECONDS", 900))
# Production's outbox timings, not the fault scenarios' short ones.
PRODUCTION_OUTBOX = {
    "OUTBOX_SWEEP_SECONDS": "60",
    "OUTBOX_BACKOFF_SECONDS": "60",
    "OUTBOX_STALE_CLAIM_SECONDS": "600",
    "OUTBOX_ALERT_SECONDS": "1800",
    "EMAIL_TIMEOUT": "20",
    # The load's staff and screeners log in with a password: the second factor is not
    # what is measured.
    "MFA_REQUIRED": "false",
}
USERS = """
from rfs.accounts.models import Role
from tests.factories.accounts import UserFactory
for n in range({staff}):
    UserFactory(email=f"load-staff-{{n}}@example.org", role=Role.STAFF, is_staff=True)
for n in range({screeners}):
    UserFactory(email=f"load-screener-{{n}}@example.org", role=Role.SCREENER)
"""


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / 1024


def memory(stack: Stack) -> dict[str, float]:
    return {name: rss_mb(stack.processes[name].pid) for name in ("web", "worker")}


def run_locust(
    stack: Stack, port: int, folder: Path
) -> tuple[Path, dict[str, float], float, dict[str, float]]:
    """Run the people to the end; their stats file, memory once warmed up and idle (so
    growth counts what the load added, not the processes' first requests), when the spike
    began (time.time(), a second or two early: locust's clock starts once it is up), and the
    CPU seconds of each part from then to the end (CpuMeter.finish)."""
    env = {
        **stack.env,
        "LOAD_RUN": secrets.token_hex(3),
        "LOAD_PASSWORD": "correct horse battery staple",
    }
    prefix = folder / "locust"
    command = [
        *(PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"),
        *("--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary"),
        *("--loglevel", "WARNING"),
    ]
    warm = float(os.environ.get("LOAD_WARMUP_SECONDS", 30))
    idle = float(os.environ.get("LOAD_IDLE_SECONDS", 60))
    with open(stack.logs / "locust.log", "wb") as log:
        started = time.time()
        people = subprocess.Popen(  # noqa: S603 - our own interpreter and locustfile
            command,
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own, for its CPU
        )
        try:
            with contextlib.suppress(subprocess.TimeoutExpired):
                people.wait(warm + idle / 2)
            start = memory(stack)
            with contextlib.suppress(subprocess.TimeoutExpired):
                people.wait(max(0.0, started + warm + idle - time.time()))
            meter = CpuMeter(
                groups={name: stack.processes[name].pid for name in ("web", "worker", "beat")}
                | {"redis": stack.redis.process.pid, "locust": people.pid},
                database=urlsplit(stack.postgres.url).path.lstrip("/"),
                exclude=set(),
            )
            meter.start()
            people.wait()
            cpu = meter.finish()
        finally:
            stop_group_of(people)
    return Path(f"{prefix}_stats.csv"), start, started + warm + idle, cpu


class Probe:
    """bench/probe.py in a process of its own while the block runs; `times` then holds its
    answers: (time.time() at the start, ms)."""

    def __init__(self, port: int, folder: Path) -> None:
        self.port = port
        self.file = folder / "probe.txt"
        self.times: list[tuple[float, float]] = []

    def __enter__(self) -> "Probe":
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [PYTHON, "-m", "bench.probe", str(self.port), str(self.file)],
            cwd=ROOT,
            start_new_session=True,
        )
        return self

    def __exit__(self, *exc) -> None:
        stop_group_of(self.process)
        with contextlib.suppress(FileNotFoundError):
            lines = self.file.read_text().splitlines()
            self.times = [(float(at), float(ms)) for at, ms in (line.split() for line in lines)]


def probe_figures(
    times: list[tuple[float, float]], *, idle_from: float, spike_from: float
) -> dict[str, tuple[int, float, float]]:
    """{phase: (answers, p50 ms, p95 ms)} of the probe's answers in the idle phase and in the
    spike (its ramp included, as locust counts it)."""
    phases = {
        "idle": [ms for at, ms in times if idle_from <= at < spike_from],
        "spike": [ms for at, ms in times if at >= spike_from],
    }
    return {
        phase: (len(values), *percentiles(values))
        for phase, values in phases.items()
        if len(values) >= 2
    }


def percentiles(values: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(values, n=20, method="inclusive")
    return statistics.median(values), cuts[18]


def print_probe(figures: dict[str, tuple[int, float, float]]) -> None:
    print()
    print(
        f"a probe outside locust (GET /signup/ every {PROBE_INTERVAL} s, a process of its own): "
        + "; ".join(
            f"{phase} p50 {p50:.0f} ms, p95 {p95:.0f} ms ({count} answers)"
            for phase, (count, p50, p95) in figures.items()
        )
    )


def stop_group_of(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(30)


def page_figures(stats: Path) -> dict[str, dict]:
    rows = {}
    with stats.open() as f:
        for row in csv.DictReader(f):
            if row["Name"] == "Aggregated":
                continue
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
            }
    return rows


# A line of gunicorn's access log (gunicorn.conf.py): when, the request, its status, and the
# time gunicorn spent on it, from its parsed head to the last byte of the answer.
ACCESS_LINE = re.compile(
    r'\[(?P<at>[^\]]+)\] "(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" \d{3} \S+ "[^"]*" (?P<ms>\d+)ms$'
)
IDS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def server_times(access_log: Path, spike_from: float) -> dict[tuple[str, str], list[int]]:
    """gunicorn's own time of each request, in ms, by request (ids as <id>) and phase: the
    server's part of what locust saw, without the wait for a free worker before it."""
    times: dict[tuple[str, str], list[int]] = {}
    with access_log.open(errors="replace") as log:
        for line in log:
            found = ACCESS_LINE.search(line.rstrip())
            if not found:
                continue
            at = datetime.strptime(found["at"], "%d/%b/%Y:%H:%M:%S %z").timestamp()
            request = f"{found['method']} {IDS.sub('<id>', found['path'])}"
            phase = "spike" if at >= spike_from else "idle"
            times.setdefault((request, phase), []).append(int(found["ms"]))
    return times


def print_server_times(times: dict[tuple[str, str], list[int]]) -> None:
    print()
    print("as gunicorn timed them (its log; the warm-up's logins counted as idle):")
    print(f"{'request':44} {'phase':6} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7}")
    for (request, phase), values in sorted(times.items()):
        if len(values) < 10:
            continue
        values.sort()
        p50, p95 = values[len(values) // 2], values[int(len(values) * 0.95)]
        print(f"{request[:44]:44} {phase:6} {len(values):>8} {p50:>7} {p95:>7}")


# The parts whose CPU the spike is measured by, as the report names them.
CPU_PARTS = {
    "web": "gunicorn",
    "database": "PostgreSQL's backends",
    "worker": "Celery worker",
    "beat": "beat",
    "redis": "Redis",
    "locust": "locust",
    "client": "this process with the SMTP sink",
}


def cores(cpu: dict[str, float]) -> dict[str, float]:
    """How many cores each part kept busy on average (CpuMeter.finish's seconds over the
    wall-clock time), 'others' for the rest of the machine's busy time (PostgreSQL's own
    processes, whatever else runs here), and 'machine' for all of it."""
    busy = {part: cpu.get(part, 0.0) / cpu["seconds"] for part in CPU_PARTS}
    machine = cpu["machine"] / cpu["seconds"]
    return busy | {"others": max(0.0, machine - sum(busy.values())), "machine": machine}


def print_cores(cpu: dict[str, float]) -> None:
    busy = cores(cpu)
    print(
        f"cores busy during the spike ({cpu['seconds']:.0f} s; {os.cpu_count()} cores, "
        f"{busy['machine']:.2f} busy in all): "
        + ", ".join(f"{label} {busy[part]:.2f}" for part, label in CPU_PARTS.items())
        + f", the rest of the machine {busy['others']:.2f}"
    )


def email_times(stack: Stack) -> tuple[float, float, float]:
    ((p50, p95, top),) = query(
        stack,
        """
        WITH waits AS (
            -- From the signup's post (a worker records its email moments later).
            SELECT extract(epoch FROM n.sent_at - coalesce(posted.at, n.created_at)) AS s
            FROM notify_notification n
            LEFT JOIN LATERAL (
                SELECT min(s.received_at) AS at
                FROM candidates_submission s
                JOIN candidates_candidate c ON c.id = s.candidate_id
                WHERE n.template = 'signup_confirmation' AND n.ref = 'candidate:' || c.uuid
            ) posted ON true
            WHERE n.status = 'sent')
        SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s),
               percentile_cont(0.95) WITHIN GROUP (ORDER BY s), max(s)
        FROM waits""",
    )
    return float(p50 or 0), float(p95 or 0), float(top or 0)


def report(figures: dict, before: dict, after: dict, drained: float, emails, outcome) -> bool:
    print()
    print(f"{'page':32} {'phase':6} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7}")
    pages = sorted({name.split(" ", 1)[1] for name in figures})
    for page in pages:
        for phase in ("idle", "spike"):
            row = figures.get(f"{phase} {page}")
            if row:
                print(
                    f"{page:32} {phase:6} {row['requests']:>8} {row['failures']:>6} "
                    f"{row['p50']:>7.0f} {row['p95']:>7.0f}"
                )
    print()
    print(
        f"emails, signup to sent: p50 {emails[0]:.1f} s, p95 {emails[1]:.1f} s, "
        f"max {emails[2]:.1f} s; backlog drained {drained:.0f} s after the load ended"
    )
    growth = {name: (after[name] - before[name]) / before[name] for name in before}
    print(
        "memory (MB, with children): "
        + ", ".join(
            f"{name} {before[name]:.0f} -> {after[name]:.0f} ({growth[name]:+.0%})"
            for name in before
        )
    )
    print(outcome.line())
    print(outcome.details())

    def ratio(page: str) -> float | None:
        idle, spike = figures.get(f"idle {page}"), figures.get(f"spike {page}")
        return spike["p95"] / idle["p95"] if idle and spike and idle["p95"] else None

    goals = {
        "signup p95 within 3x idle": (ratio("POST /signup/") or 0) <= 3,
        "staff pages' p95 within 2x idle": all(
            (ratio(page) or 0) <= 2 for page in ("dashboard", "candidate list")
        ),
        "zero 5xx": outcome.checks.get("no 500", True)
        and not any("HTTP 5" in str(v) for v in outcome.notes.values()),
        "every email sent once": outcome.ok,
        "backlog drained within 10 minutes": drained <= 600,
    }
    if SOAK:
        goals["memory growth under 10 %"] = all(g <= 0.10 for g in growth.values())
    print()
    for goal, held in goals.items():
        print(f"  {goal}: {'met' if held else 'NOT met'}")
    print(f"load average (1 min) on {os.cpu_count()} cores: {os.getloadavg()[0]:.1f}")
    return outcome.ok


def _interrupt(signum, frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    folder = Path(tempfile.mkdtemp(prefix="rfs-load-"))
    folder.chmod(0o755)
    try:
        print("[load] a migrated PostgreSQL cluster ...", flush=True)
        golden = golden_cluster(folder)
        with Stack("load", golden, env_extra=PRODUCTION_OUTBOX) as stack:
            subprocess.run(  # noqa: S603
                [
                    PYTHON,
                    "manage.py",
                    "shell",
                    "-c",
                    USERS.format(
                        staff=os.environ.get("LOAD_STAFF", 10),
                        screeners=os.environ.get("LOAD_SCREENERS", 20),
                    ),
                ],
                env=stack.env,
                cwd=ROOT,
                check=True,
            )
            port = stack.web(workers=3)
            stack.worker()
            stack.beat()
            print("[load] locust ...", flush=True)
            with Probe(port, folder) as probe:
                stats, before, spike_from, cpu = run_locust(stack, port, folder)
            ended = time.monotonic()
            web_after = rss_mb(stack.processes["web"].pid)
            # Signups locust gave up on may still be in gunicorn's hands: a graceful stop
            # answers (and stores) them, so none is stored after the backlog looked drained.
            stack.stop("web")
            drain(stack, seconds=DRAIN_SECONDS)
            drained = time.monotonic() - ended
            after = {"web": web_after, "worker": rss_mb(stack.processes["worker"].pid)}
            figures = page_figures(stats)
            outcome = reconcile("load", stack, None)
            signups = sum(
                r["requests"] - r["failures"]
                for n, r in figures.items()
                if n.endswith("POST /signup/")
            )
            outcome.acknowledged = signups
            outcome.checks["every acknowledged signup stored"] = outcome.stored >= signups
            ok = report(figures, before, after, drained, email_times(stack), outcome)
            print_cores(cpu)
            print_server_times(server_times(stack.logs / "web.log", spike_from))
            idle_from = spike_from - float(os.environ.get("LOAD_IDLE_SECONDS", 60))
            print_probe(probe_figures(probe.times, idle_from=idle_from, spike_from=spike_from))
            return 0 if ok else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
