"""`make bench-leads`: partner leads posted over HTTP to the running project, against the bare
one-INSERT view (bench/baseline/) in the same run.

1. The bare view under CLIENTS clients for SECONDS (as `make bench-signup` measures it).
2. The accept path: the same clients post leads to /api/leads/<source>/<token>/ of 300
   sources with resolution paused (no worker): leads/s, p50/p95, ratio to the bare view.
3. End to end: a synthetic day of TOTAL leads (default 250,000) from the same sources, about
   20 % for people already known, 2 % that cannot be read, 1 % resent with the same
   Idempotency-Key, posted while one Celery worker (concurrency 2) resolves them; the time
   from the first post until none is pending, then the reconciliation: received = new +
   matched + merge review + dead-lettered, no person twice, each resend stored once.

    python -m bench.leads
    BENCH_LEADS_TOTAL=20000 BENCH_LEADS_SECONDS=5 python -m bench.leads

A benchmark reports: it exits 0 whatever the figures.
"""

import asyncio
import contextlib
import itertools
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator

from bench.mailsink import MailSink, free_port
from bench.procstat import CpuMeter
from bench.signup import (
    APPS,
    CLIENTS,
    LOGS,
    PYTHON,
    SECONDS,
    App,
    Monitor,
    _interrupt,
    app_environment,
    bench_database_url,
    manage,
    measure,
    recreate_database,
    start,
    table,
    wait_until,
)
from bench.signup_load import HttpError, Load, percentile

TOTAL = int(os.environ.get("BENCH_LEADS_TOTAL", "250000"))
SOURCES = int(os.environ.get("BENCH_LEADS_SOURCES", "300"))
LEADS_SECONDS = float(os.environ.get("BENCH_LEADS_SECONDS", str(SECONDS)))
# The goals: the accept path against the bare view; the whole day resolved in time.
GOAL_ACCEPT = 0.6
GOAL_MINUTES = 15
TIMEOUT = 30
PROJECT = App(
    "project /api/leads/",
    "leads",
    "rfs.wsgi:application",
    "rfs.settings",
    "candidates_lead",
    sends_email=True,
)
MAKE_SOURCES = """
import json
from candidates.services.leads import create_source
made = []
for n in range({count}):
    source, token = create_source(
        by=None, name=f"Bench form {{n}}", owner="Bench", auth="token",
        asks_contact=n % 2 == 0, consent_wording="May we contact you?",
        rate_per_minute=100000,
    )
    made.append([str(source.uuid), token])
print(json.dumps(made))
"""


def leads(run: str, sources: list[list[str]], *, start: int = 0) -> Iterator[tuple[str, dict]]:
    """(path, headers+payload) of a synthetic day: mostly new people, some known again, a few
    unreadable, a few resent."""
    for n in itertools.count(start):
        uuid, token = sources[n % len(sources)]
        path = f"/api/leads/{uuid}/{token}/"
        person = n
        if n % 5 == 1 and n > 100:
            person = n - 97  # about 20 %: someone an earlier lead brought
        payload: dict = {
            "first_name": "Lead",
            "last_name": f"Person{person}",
            "email": f"lead-{run}-{person}@example.org",
            "zip_code": "23219",
            "state": "VA",
            "consent": "yes",
        }
        if n % 50 == 7:
            del payload["email"]  # 2 %: cannot be read
        key = f"{run}-{n}"
        yield path, {"key": key, "payload": payload}
        if n % 100 == 3:
            yield path, {"key": key, "payload": payload}  # 1 %: sent again


async def _post(port: int, path: str, item: dict) -> int:
    body = json.dumps(item["payload"]).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nIdempotency-Key: {item['key']}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        response = await reader.read()
    finally:
        writer.close()
    if not response.startswith(b"HTTP/1."):
        raise HttpError("no HTTP response")
    return int(response[9:12])


def post_leads(port: int, items: Iterator, *, clients: int, seconds=None, count=None) -> Load:
    """`clients` clients posting leads one after another, for `seconds` or `count` posts."""
    load = Load()
    taken = itertools.count()

    async def client(deadline: float) -> None:
        while time.monotonic() < deadline:
            if count is not None and next(taken) >= count:
                return
            path, item = next(items)
            begin = time.perf_counter()
            try:
                status = await asyncio.wait_for(_post(port, path, item), TIMEOUT)
            except (OSError, TimeoutError, HttpError) as exc:
                load.errors[type(exc).__name__] += 1
                await asyncio.sleep(0.05)
                continue
            load.latencies.append(time.perf_counter() - begin)
            load.statuses[status] += 1

    async def run_all() -> None:
        deadline = time.monotonic() + (seconds if seconds is not None else 10**9)
        await asyncio.gather(*(client(deadline) for _ in range(clients)))

    begin = time.monotonic()
    asyncio.run(run_all())
    load.seconds = time.monotonic() - begin
    return load


# The compliance count at two sizes: counters as a year of leads from SOURCES sources leaves
# them (people spread over every day and source), then the count's reads, timed.
COUNT_SIZES = (1_000, 1_000_000)
TIME_COUNT = """
import json, statistics, time
from datetime import date, timedelta
from django.db import connection
from candidates.services import leads, people_counts
sources = [leads.create_source(by=None, name=f"Form {{n}}", owner="Bench")[0].pk
           for n in range({sources})]
people, days, start = {size}, 365, date.today() - timedelta(days=364)
cells = min(people, days * len(sources))
base, extra = divmod(people, cells)
groups = {{}}
for i in range(cells):
    key = (start + timedelta(days=i % days), base + (1 if i < extra else 0))
    groups.setdefault(key, []).append(sources[i % len(sources)])
for (day, add), named in groups.items():
    people_counts.count_people(named, day=day, add=add)
connection.cursor().execute("ANALYZE")
def once():
    begin = time.perf_counter()
    people_counts.total(); people_counts.by_source(); people_counts.by_day()
    return time.perf_counter() - begin
for _ in range(5): once()
print(json.dumps({{"total": people_counts.total(),
                  "ms": statistics.median(once() for _ in range(41)) * 1000}}))
"""


def time_count(env: dict, size: int) -> dict:
    url = bench_database_url(f"count_{size}")
    recreate_database(url)
    env = {**env, "DATABASE_URL": url}
    manage(env, "migrate", "--no-input", "-v", "0")
    made = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [PYTHON, "manage.py", "shell", "-c", TIME_COUNT.format(sources=SOURCES, size=size)],
        env=env,
        capture_output=True,
        check=True,
        text=True,
    )
    return json.loads(made.stdout.strip().splitlines()[-1])


def reconciliation(monitor: Monitor) -> dict:
    with monitor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.status, s.outcome, count(*) FROM candidates_lead l "
            "LEFT JOIN candidates_submission s ON s.id = l.submission_id GROUP BY 1, 2"
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT count(*), count(DISTINCT email) FROM candidates_candidate")
        people, emails = cursor.fetchone()
        cursor.execute("SELECT coalesce(sum(people), 0) FROM candidates_peoplecount")
        (counted,) = cursor.fetchone()
    outcome = Counter()
    for status, result, n in rows:
        outcome[result if status == "resolved" else status] += n
    return {"outcome": outcome, "people": people, "emails": emails, "counted": counted}


def main() -> int:
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    run, secret_key = secrets.token_hex(3), secrets.token_urlsafe(50)
    load_before = os.getloadavg()[0]
    sink = MailSink()
    try:
        with sink.running() as smtp_port:
            print(f"[bench] bare view: {CLIENTS} clients, {SECONDS:.0f} s ...", flush=True)
            baseline = measure(
                APPS["baseline"], sink=sink, smtp_port=smtp_port, secret_key=secret_key, run=run
            )
            report = project(run, secret_key=secret_key, smtp_port=smtp_port)
    except KeyboardInterrupt:
        print("[bench] interrupted: everything it started is stopped", flush=True)
        return 130
    print_report(baseline, *report, load_before=load_before)
    return 0


def project(run: str, *, secret_key: str, smtp_port: int):
    url = bench_database_url(PROJECT.database)
    database = recreate_database(url)
    env = app_environment(PROJECT, database_url=url, smtp_port=smtp_port, secret_key=secret_key)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "collectstatic", "--no-input", "-v", "0")
    made = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [PYTHON, "manage.py", "shell", "-c", MAKE_SOURCES.format(count=SOURCES)],
        env=env,
        capture_output=True,
        check=True,
        text=True,
    )
    sources = json.loads(made.stdout.strip().splitlines()[-1])
    port = free_port()
    items = leads(run, sources)
    with contextlib.ExitStack() as started:
        monitor = Monitor(url)
        started.callback(monitor.close)
        web = start(
            started,
            "leads-web",
            [
                *(PYTHON, "-m", "gunicorn", PROJECT.wsgi, "--config", "gunicorn.conf.py"),
                *("--bind", f"127.0.0.1:{port}", "--workers", "2"),
            ],
            env,
        )
        processes = {"web": web}
        wait_until(lambda: _answers(port), what="gunicorn", processes=processes)
        print(f"[bench] accept path: {CLIENTS} clients, {LEADS_SECONDS:.0f} s ...", flush=True)
        post_leads(port, items, clients=CLIENTS, seconds=2)  # warm-up
        accept = post_leads(port, items, clients=CLIENTS, seconds=LEADS_SECONDS)
        posted_so_far = monitor.rows("candidates_lead")
        remaining = max(TOTAL - posted_so_far, 0)
        print(f"[bench] end to end: {remaining:,} more leads with a worker ...", flush=True)
        log = LOGS / "leads-worker.log"
        begin = time.monotonic()
        processes["worker"] = start(
            started,
            log.stem,
            [
                *(PYTHON, "-m", "celery", "-A", "rfs", "worker", "-l", "INFO"),
                *("--concurrency", "2", "-n", "bench-leads@%h"),
            ],
            env,
        )
        wait_until(lambda: b" ready." in log.read_bytes(), what="worker", processes=processes)
        meter = CpuMeter(
            groups={name: process.pid for name, process in processes.items()},
            database=database,
            exclude={monitor.pid},
        )
        meter.start()
        # The accept phase's leads wait in the broker's queue for this worker too.
        day = post_leads(port, items, clients=CLIENTS, count=remaining)
        posting = time.monotonic() - begin
        while _pending(monitor):
            time.sleep(1)
        resolved = time.monotonic() - begin
        result = reconciliation(monitor)
        result["cpu"] = meter.finish()
    print("[bench] the count of unique people at two sizes ...", flush=True)
    result["count"] = {size: time_count(env, size) for size in COUNT_SIZES}
    return accept, day, posting, resolved, result


def _pending(monitor: Monitor) -> int:
    with monitor.connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM candidates_lead WHERE status = 'pending'")
        return cursor.fetchone()[0]


def _answers(port: int) -> bool:
    try:
        probe = _post(port, "/api/leads/x/", {"key": "", "payload": {}})
        status = asyncio.run(asyncio.wait_for(probe, 2))
    except (OSError, TimeoutError, HttpError):
        return False
    return status == 404


def print_report(baseline, accept: Load, day: Load, posting, resolved, result, *, load_before):
    base_rate = baseline.load.signups / baseline.load.seconds
    rate = accept.statuses[202] / accept.seconds
    rows = [
        [
            "bare one-INSERT view",
            f"{baseline.load.signups:,}",
            f"{base_rate:,.0f}",
            f"{baseline.latency_ms(0.5):.1f}",
            f"{baseline.latency_ms(0.95):.1f}",
            "1.000x",
        ],
        [
            "POST /api/leads/ (no worker)",
            f"{accept.statuses[202]:,}",
            f"{rate:,.0f}",
            f"{percentile(accept.latencies, 0.5) * 1000:.1f}",
            f"{percentile(accept.latencies, 0.95) * 1000:.1f}",
            f"{rate / base_rate:.3f}x",
        ],
    ]
    print()
    print(f"Leads: {CLIENTS} clients, {SOURCES} sources, gunicorn with 2 sync workers.")
    print(table(["app", "answered", "per s", "p50 ms", "p95 ms", "rate x"], rows))
    outcome, total = result["outcome"], sum(result["outcome"].values())
    print()
    print(
        f"End to end: {total:,} leads stored (the accept phase's and the day's; resends stored "
        f"once); the day's {sum(day.statuses.values()):,} posts took {posting:.0f} s; "
        f"none pending {resolved:.0f} s ({resolved / 60:.1f} min) after its first post, goal "
        f"{GOAL_MINUTES} min: {'met' if resolved <= GOAL_MINUTES * 60 else 'NOT met'}."
    )
    print(f"  outcomes: {dict(outcome)}")
    parts = outcome["created"] + outcome["matched"] + outcome["merge_review"] + outcome["dead"]
    print(
        f"  received {total:,} = new + matched + merge review + dead-lettered {parts:,}"
        f"{' + pending ' + str(outcome['pending']) if outcome['pending'] else ''}: "
        f"{'ok' if parts + outcome['pending'] == total else 'MISMATCH'}"
    )
    print(
        f"  people {result['people']:,}, distinct emails {result['emails']:,}, counted "
        f"{result['counted']:,}: "
        f"{'ok' if result['people'] == result['emails'] == result['counted'] else 'MISMATCH'}"
    )
    print(f"  answers of the day: {dict(day.statuses)}; errors {dict(day.errors) or 'none'}")
    cpu, posts = result["cpu"], max(sum(day.statuses.values()), 1)
    print(
        f"  CPU of the day, from the worker's start until none was pending: web "
        f"{cpu['web'] / posts * 1000:.2f} ms a post; worker {cpu['worker'] / total * 1000:.2f} ms "
        f"and database {cpu['database'] / total * 1000:.2f} ms a lead resolved; the clients "
        f"{cpu['client'] / posts * 1000:.2f} ms a post; the machine "
        f"{cpu['machine'] / cpu['seconds'] / (os.cpu_count() or 1):.0%} busy."
    )
    small, large = (result["count"][size] for size in COUNT_SIZES)
    ratio = large["ms"] / small["ms"]
    print(
        f"The count of unique people (overall, per source, per day; {SOURCES} sources, a year): "
        f"{small['ms']:.2f} ms for {small['total']:,} people, {large['ms']:.2f} ms for "
        f"{large['total']:,}: {ratio:.2f}x, goal ≤ 2x: {'met' if ratio <= 2 else 'NOT met'}."
    )
    print(
        f"Goal: accept path ≥ {GOAL_ACCEPT}x the bare view: {rate / base_rate:.3f}x, "
        f"{'met' if rate / base_rate >= GOAL_ACCEPT else 'NOT met'}."
    )
    print(
        f"Load average (1 min) on {os.cpu_count()} cores: {load_before:.1f} before the run, "
        f"{os.getloadavg()[0]:.1f} after. Logs: {LOGS}"
    )


if __name__ == "__main__":
    sys.exit(main())
