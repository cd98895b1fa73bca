"""`make bench-signup`: signups per second, latency and CPU per signup of the project's /signup/
against a bare one-INSERT Django view (bench/baseline/), in the same run, on the same servers.

Each app gets a fresh database on the server DATABASE_URL points at (<name>_bench_baseline and
<name>_bench_signup, never the development one), migrated, and is served by gunicorn as production
serves it (gunicorn.conf.py, 2 sync workers, DJANGO_ENV=production with a generated SECRET_KEY).
The project's signups are resolved, and their confirmation emails delivered, during the load by
a worker of the real `rfs` Celery app (concurrency 2, as docker-compose.yml runs it), the emails
to an SMTP sink in this process.
CLIENTS asyncio clients each GET the form once for the CSRF cookie and token, then post
valid, unique signups one after another as fast as they are answered: a warm-up, then SECONDS
measured. CPU per signup comes from /proc: gunicorn's and Celery's process groups and the
PostgreSQL backends connected to the bench database, from the start of the load until every
signup is resolved and its email delivered.

    python -m bench.signup
    BENCH_SIGNUP_APPS=baseline BENCH_SIGNUP_SECONDS=2 BENCH_SIGNUP_CLIENTS=2 python -m bench.signup

REDIS_URL's database is the broker: nothing else may consume it (a development worker would
take the benchmark's tasks), so point it at a database of its own. A benchmark reports: this
exits 0 whatever the figures, and non-zero only when it could not run.
"""

import asyncio
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import psycopg2
import redis
from psycopg2 import sql

from bench.mailsink import MailSink, free_port
from bench.procstat import CpuMeter
from bench.signup_load import PATH, HttpError, Load, percentile, request, run_load, signups
from rfs.devstack import _stop_process as stop_process_group

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "var" / "bench-signup"
PYTHON = sys.executable
CLIENTS = int(os.environ.get("BENCH_SIGNUP_CLIENTS", "16"))
SECONDS = float(os.environ.get("BENCH_SIGNUP_SECONDS", "15"))
WARMUP_SECONDS = float(os.environ.get("BENCH_SIGNUP_WARMUP", "3"))
APP_NAMES = os.environ.get("BENCH_SIGNUP_APPS", "baseline,project").split(",")
GUNICORN_WORKERS = 2
CELERY_CONCURRENCY = 2
# How long the emails of a run may take to arrive once the load has stopped.
DRAIN_SECONDS = 120
START_SECONDS = 60
# The goals: throughput and p95 as ratios to the bare view in the same run, CPU in ms.
GOAL_THROUGHPUT = 0.25
GOAL_CPU_MS = 4.0
# The bare view's CPU a signup when the CPU goal was set: the same goal as a ratio is 5x, which
# a machine slower or busier than that day's can still be held to.
GOAL_CPU_BARE_MS = 0.8
GOAL_P95 = 4.0
# What a signup costs, all included: the bench's own clients and sink are not.
PARTS = ("web", "database", "worker")


@dataclass(frozen=True)
class App:
    title: str
    # Its database is <DATABASE_URL's name>_bench_<database>.
    database: str
    wsgi: str
    settings: str
    # The table that gains one row per signup.
    table: str
    sends_email: bool
    # Where a signup waits for a worker to resolve it, if it does.
    waiting_table: str = ""


APPS = {
    "baseline": App(
        "bare one-INSERT view",
        "baseline",
        "bench.baseline.wsgi:application",
        "bench.baseline.settings",
        "baseline_signup",
        sends_email=False,
    ),
    "project": App(
        "project /signup/",
        "signup",
        "rfs.wsgi:application",
        "rfs.settings",
        "candidates_candidate",
        sends_email=True,
        waiting_table="candidates_waitingsignup",
    ),
}


# --- Databases and processes ---------------------------------------------------------------


def bench_database_url(suffix: str) -> str:
    """<DATABASE_URL's name>_bench_<suffix>, on the same server."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        raise SystemExit("DATABASE_URL is not set: run me through `make bench-signup`.")
    parts = urlsplit(base)
    name = parts.path.strip("/") or "rfs"
    return urlunsplit(parts._replace(path=f"/{name}_bench_{suffix}"))


def connect(url: str, *, dbname: str | None = None):
    config = dj_database_url.parse(url)
    connection = psycopg2.connect(
        dbname=dbname or config["NAME"],
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True
    return connection


def recreate_database(url: str) -> str:
    """Drop and create the bench database, so each run starts empty; returns its name."""
    name = urlsplit(url).path.strip("/")
    with (
        contextlib.closing(connect(url, dbname="postgres")) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


class Monitor:
    """One connection to the bench database that counts rows; the CPU meter leaves its
    backend out."""

    def __init__(self, url: str) -> None:
        self.connection = connect(url)
        self.pid = self.connection.get_backend_pid()

    def rows(self, table: str) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our own table names
            return cursor.fetchone()[0]

    def outbox(self) -> Counter:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT status, count(*) FROM notify_notification GROUP BY status")
            return Counter(dict(cursor.fetchall()))

    def close(self) -> None:
        self.connection.close()


def broker_clients(redis_url: str) -> int:
    """Other connections on the broker's Redis database (a worker there would take our tasks)."""
    client = redis.Redis.from_url(redis_url)
    try:
        own = client.client_id()
        db = int(client.connection_pool.connection_kwargs.get("db", 0))
        return sum(1 for c in client.client_list() if int(c["db"]) == db and int(c["id"]) != own)
    finally:
        client.close()


def app_environment(app: App, *, database_url: str, smtp_port: int, secret_key: str) -> dict:
    """The project's production settings from the environment, with what a loopback run
    needs: no HTTPS redirect, the bench database, the sink as SMTP server, no signup limit
    (every client posts from 127.0.0.1)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": app.settings,
        "DJANGO_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secret_key,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SIGNUP_RATE_LIMIT": str(10**9),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], env=env, cwd=ROOT, check=True)  # noqa: S603


def start(started: contextlib.ExitStack, name: str, command: list[str], env: dict):
    """Start `command` in a process group of its own, logging to LOGS/<name>.log; the group is
    stopped when `started` closes, on an error or Ctrl-C too."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log = started.enter_context(open(LOGS / f"{name}.log", "wb"))  # noqa: SIM115 - closed by the stack
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and modules
        command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    started.callback(stop_process_group, process)
    return process


def wait_until(check, *, what: str, processes: dict[str, subprocess.Popen]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while not check():
        for name, process in processes.items():
            if process.poll() is not None:
                raise SystemExit(f"{name} exited with code {process.returncode}; see {LOGS}")
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} not ready within {START_SECONDS} s; see {LOGS}")
        time.sleep(0.2)


def answers(port: int) -> bool:
    try:
        return asyncio.run(asyncio.wait_for(request(port, f"GET {PATH} HTTP/1.1"), 2))[0] == 200
    except (OSError, TimeoutError, HttpError):
        return False


def stored_rows(monitor: "Monitor", app: App) -> int:
    """The app's rows once no signup waits for a worker (at most DRAIN_SECONDS)."""
    begin = time.monotonic()
    while app.waiting_table and time.monotonic() - begin < DRAIN_SECONDS:
        if not monitor.rows(app.waiting_table):
            break
        time.sleep(0.05)
    return monitor.rows(app.table)


def wait_for_emails(sink: MailSink, expected: int) -> float:
    """Wait (at most DRAIN_SECONDS) until the sink has `expected` messages; the seconds waited."""
    begin = time.monotonic()
    while sink.count < expected and time.monotonic() - begin < DRAIN_SECONDS:
        time.sleep(0.05)
    return time.monotonic() - begin


# --- One app, measured ---------------------------------------------------------------------


@dataclass
class Result:
    app: App
    load: Load  # the measured window only
    cpu: dict[str, float]  # seconds per part over the measured window and the drain after it
    answered: int  # 302s over the warm-up and the measured window
    rows: int
    emails: int
    sent_twice: tuple[int, int]
    outbox: Counter
    drain_seconds: float
    load_average: float

    def cpu_ms(self, part: str) -> float:
        return self.cpu.get(part, 0.0) * 1000 / max(self.load.signups, 1)

    @property
    def total_cpu_ms(self) -> float:
        return sum(self.cpu_ms(part) for part in PARTS)

    @property
    def rate(self) -> float:
        return self.load.signups / self.load.seconds

    def latency_ms(self, share: float) -> float:
        return percentile(self.load.latencies, share) * 1000


def ratios(result: Result, baseline: Result | None) -> tuple[float, float] | None:
    """Throughput and p95 as multiples of the bare view's in the same run."""
    if not (baseline and baseline.load.signups and result.load.signups):
        return None
    return result.rate / baseline.rate, result.latency_ms(0.95) / baseline.latency_ms(0.95)


def measure(app: App, *, sink: MailSink, smtp_port: int, secret_key: str, run: str) -> Result:
    url = bench_database_url(app.database)
    database = recreate_database(url)
    env = app_environment(app, database_url=url, smtp_port=smtp_port, secret_key=secret_key)
    manage(env, "migrate", "--no-input", "-v", "0")
    if app.sends_email:
        # Production serves static files through whitenoise's manifest: it must exist.
        manage(env, "collectstatic", "--no-input", "-v", "0")
    port = free_port()
    emails_before = sink.count
    with contextlib.ExitStack() as started:
        monitor = Monitor(url)
        started.callback(monitor.close)
        processes = start_servers(app, started=started, env=env, port=port)
        payloads = signups(run)
        warm_up = run_load(port, clients=CLIENTS, seconds=WARMUP_SECONDS, payloads=payloads)
        if app.sends_email:  # the warm-up's emails are not the measured window's work
            wait_for_emails(sink, emails_before + stored_rows(monitor, app))
        meter = CpuMeter(
            groups={name: process.pid for name, process in processes.items()},
            database=database,
            exclude={monitor.pid},
        )
        meter.start()
        load = run_load(port, clients=CLIENTS, seconds=SECONDS, payloads=payloads)
        ended = time.monotonic()
        rows = stored_rows(monitor, app)
        if app.sends_email:
            wait_for_emails(sink, emails_before + rows)
        drain = time.monotonic() - ended if app.sends_email else 0.0
        cpu = meter.finish()
        outbox = monitor.outbox() if app.sends_email else Counter()
        load_average = os.getloadavg()[0]
    received = sink.received[emails_before:]
    return Result(
        app=app,
        load=load,
        cpu=cpu,
        answered=warm_up.signups + load.signups,
        rows=rows,
        emails=len(received),
        sent_twice=MailSink.sent_twice(received),
        outbox=outbox,
        drain_seconds=drain,
        load_average=load_average,
    )


def start_servers(app: App, *, started: contextlib.ExitStack, env: dict, port: int) -> dict:
    """gunicorn (and for the project a Celery worker), ready to serve; {part: process}."""
    if app.sends_email and (others := broker_clients(env["REDIS_URL"])):
        raise SystemExit(
            f"{others} other client(s) use the broker's Redis database ({env['REDIS_URL']}): "
            "their worker would take the benchmark's tasks. Point REDIS_URL at a database "
            "nothing else uses."
        )
    processes = {
        "web": start(
            started,
            f"{app.database}-web",
            [
                *(PYTHON, "-m", "gunicorn", app.wsgi, "--config", "gunicorn.conf.py"),
                *("--bind", f"127.0.0.1:{port}", "--workers", str(GUNICORN_WORKERS)),
            ],
            env,
        )
    }
    if app.sends_email:
        log = LOGS / f"{app.database}-worker.log"
        processes["worker"] = start(
            started,
            log.stem,
            [
                *(PYTHON, "-m", "celery", "-A", "rfs", "worker", "-l", "INFO"),
                *("--concurrency", str(CELERY_CONCURRENCY), "-n", "bench-signup@%h"),
            ],
            env,
        )
        wait_until(
            lambda: b" ready." in log.read_bytes(), what="Celery worker", processes=processes
        )
    wait_until(lambda: answers(port), what="gunicorn", processes=processes)
    return processes


# --- The report ----------------------------------------------------------------------------


def table(headers: list[str], rows: list[list[str]]) -> str:
    """Columns padded to their widest cell: the first left-aligned, the others right."""
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def figures(result: Result, baseline: Result | None) -> list[str]:
    multiples = ratios(result, baseline)
    return [
        result.app.title,
        f"{result.load.signups:,}",
        f"{result.rate:,.0f}",
        f"{result.latency_ms(0.5):.1f}",
        f"{result.latency_ms(0.95):.1f}",
        *((f"{multiples[0]:.3f}x", f"{multiples[1]:.1f}x") if multiples else ("-", "-")),
        *(f"{result.cpu_ms(part):.2f}" if part in result.cpu else "-" for part in PARTS),
        f"{result.total_cpu_ms:.2f}",
        f"{result.cpu_ms('client'):.2f}",
    ]


def checks(result: Result) -> str:
    def verdict(held: bool) -> str:
        return "ok" if held else "MISMATCH"

    lines = [
        f"rows {result.rows:,}, 302 answers {result.answered:,}: "
        + verdict(result.rows == result.answered)
    ]
    if result.app.sends_email:
        by_key, by_recipient = result.sent_twice
        lines.append(
            f"emails {result.emails:,}, rows {result.rows:,}: "
            f"{verdict(result.emails == result.rows)}; sent twice: {by_key} by id, "
            f"{by_recipient} by recipient; outbox {dict(result.outbox)}; "
            f"delivered {result.drain_seconds:.1f} s after the load stopped"
        )
    others = {str(k): v for k, v in result.load.statuses.items() if k != 302}
    others.update(result.load.errors)
    lines.append(f"other answers and errors: {others or 'none'}")
    return "\n".join(f"  {result.app.title}: {line}" for line in lines)


def goals(project: Result, baseline: Result, multiples: tuple[float, float]) -> str:
    (rate, p95), cpu = multiples, project.total_cpu_ms
    bare_cpu = baseline.total_cpu_ms
    goal_cpu_x = GOAL_CPU_MS / GOAL_CPU_BARE_MS

    def verdict(held: bool) -> str:
        return "met" if held else "NOT met"

    return "\n".join(
        [
            f"  throughput ≥ {GOAL_THROUGHPUT}x the bare view: {rate:.3f}x, "
            + verdict(rate >= GOAL_THROUGHPUT),
            f"  CPU per signup ≤ {GOAL_CPU_MS:.0f} ms, all included: {cpu:.1f} ms, "
            + verdict(cpu <= GOAL_CPU_MS),
            f"    as a ratio (≤ {goal_cpu_x:.0f}x the bare view's, which took "
            f"{GOAL_CPU_BARE_MS} ms when the goal was set): "
            f"{cpu / bare_cpu:.1f}x its {bare_cpu:.2f} ms in this run, "
            + verdict(cpu <= goal_cpu_x * bare_cpu),
            f"  p95 ≤ {GOAL_P95:.0f}x the bare view's: {p95:.1f}x, " + verdict(p95 <= GOAL_P95),
        ]
    )


def print_report(results: list[Result], load_before: float) -> None:
    baseline = next((r for r in results if r.app is APPS["baseline"]), None)
    project = next((r for r in results if r.app is APPS["project"]), None)
    headers = ["app", "signups", "signups/s", "p50 ms", "p95 ms", "rate x", "p95 x"]
    headers += ["web ms", "db ms", "worker ms", "total ms", "bench ms"]
    print()
    print(
        f"Signups: {CLIENTS} clients for {SECONDS:.0f} s after a {WARMUP_SECONDS:.0f} s warm-up; "
        f"gunicorn with {GUNICORN_WORKERS} sync workers, production settings; the project's "
        f"emails delivered by a Celery worker (concurrency {CELERY_CONCURRENCY}) to a local SMTP "
        "sink. CPU is per signup (web: gunicorn; db: the PostgreSQL backends of the bench "
        "database; total: web + db + worker; bench: this process, its clients, SMTP sink and "
        "meter, not in the total)."
    )
    print(table(headers, [figures(result, baseline) for result in results]))
    print()
    print("Checks (warm-up and measured window together):")
    for result in results:
        print(checks(result))
    if project and (multiples := ratios(project, baseline)):
        print()
        print("Goals, in this run:")
        print(goals(project, baseline, multiples))
    print()
    # The machine is shared: say how busy it was, and how much of that was not ours.
    print(f"Load average (1 min) on {os.cpu_count()} cores: {load_before:.1f} before the run")
    for result in results:
        ours = sum(result.cpu.get(part, 0.0) for part in (*PARTS, "client"))
        rest = (result.cpu["machine"] - ours) / result.cpu["seconds"]
        print(
            f"  {result.load_average:.1f} after {result.app.title}; the rest of the machine "
            f"(others, PostgreSQL's and Redis's own processes) used {rest:.0%} of a core "
            "during its window"
        )
    print(f"Logs: {LOGS}")


def _interrupt(signum, frame) -> None:
    # Once only: Ctrl-C under make also makes rfs.devstack send SIGTERM, and that second
    # signal must not cut short the stopping of what this run started.
    signal.signal(signal.SIGINT, _ignore)
    signal.signal(signal.SIGTERM, _ignore)
    raise KeyboardInterrupt


def _ignore(signum, frame) -> None:
    pass


def main() -> int:
    apps = [APPS[name] for name in APP_NAMES if name in APPS]
    if len(apps) != len(APP_NAMES):
        raise SystemExit(f"BENCH_SIGNUP_APPS takes {', '.join(APPS)}, not {APP_NAMES}")
    if any(app.sends_email for app in apps) and not os.environ.get("REDIS_URL"):
        raise SystemExit("REDIS_URL is not set: run me through `make bench-signup`.")
    # SIGTERM stops everything as Ctrl-C does.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    run, secret_key = secrets.token_hex(3), secrets.token_urlsafe(50)
    load_before = os.getloadavg()[0]
    sink, results = MailSink(), []
    try:
        with sink.running() as smtp_port:
            for app in apps:
                print(f"[bench] {app.title}: {CLIENTS} clients, {SECONDS:.0f} s ...", flush=True)
                results.append(
                    measure(app, sink=sink, smtp_port=smtp_port, secret_key=secret_key, run=run)
                )
    except KeyboardInterrupt:
        print("[bench] interrupted: everything it started is stopped", flush=True)
        return 130
    print_report(results, load_before)
    return 0


if __name__ == "__main__":
    sys.exit(main())
