"""`make bench`: server time of the dashboard (every period staff can choose), the candidate
list and the signup form at 1,000, 100,000 and 1,000,000 candidates.

Each size has its own database on the server DATABASE_URL points at (rfs_bench_1000,
rfs_bench_100000, rfs_bench_1000000; never the development database), made once, migrated,
and filled with rfs.demo.synthetic (COPY in rounds of 10,000 candidates: bounded memory; it
tops up, so later runs reuse it). Requests go through django.test.Client in this process,
against the real PostgreSQL; the time is the median of BENCH_RUNS runs after a warm-up, with
the number of queries each request made, and each dashboard row's ratio to the same row at
the smallest size. Nothing is cached.

    python -m bench.run                      # every size, 7 runs each
    BENCH_SIZES=1000,100000 BENCH_RUNS=3 python -m bench.run
"""

import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "1000,100000,1000000").split(",")]
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
SEARCH = {"q": "gar", "state": "CA"}
DEFAULT_VIEW = "dashboard (default: last 30 days)"
# Every period staff can choose (the custom one at its longest), and a filtered view.
DASHBOARD = [
    ("dashboard (last 7 days)", {"period": "7"}),
    (DEFAULT_VIEW, {}),
    ("dashboard (last 90 days)", {"period": "90"}),
    ("dashboard (election cycle)", {"period": "cycle"}),
    ("dashboard (custom: three years)", "custom"),
    ("dashboard (30 days, state + level)", {"state": "TX", "office_level": "school_board"}),
]
# The goals, as ratios to the same view at 1,000 candidates in the same run.
GOALS = [
    (100_000, [name for name, _ in DASHBOARD[:-1]], 4.0),
    (1_000_000, [DEFAULT_VIEW], 8.0),
]


def database_url(size: int) -> str:
    """The bench database for `size`, on the same server as DATABASE_URL."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        raise SystemExit("DATABASE_URL is not set: run me through `make bench`.")
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/rfs_bench_{size}"))


def create_database(url: str) -> None:
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    name = config["NAME"]
    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def main() -> int:
    results = []
    for size in SIZES:
        url = database_url(size)
        create_database(url)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_ENV": "development",
        }
        print(f"[bench] {size:,} candidates in {urlsplit(url).path[1:]} ...", flush=True)
        # One process per size: each has its own database settings from the start.
        child = subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "bench.run", "--measure", str(size)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            print(child.stdout)
            return child.returncode
        for line in child.stdout.splitlines():
            if line.startswith("{"):
                results.append(json.loads(line))
            else:
                print(line, flush=True)
    print_table(results)
    return check_goals(results)


def print_table(results: list[dict]) -> None:
    smallest = {r["name"]: r["median"] for r in results if r["size"] == min(SIZES)}
    headers = ["candidates", "request", "median ms", "min ms", "max ms", "x 1,000", "queries"]
    rows = [
        [
            f"{r['size']:,}",
            r["name"],
            f"{r['median']:.1f}",
            f"{r['min']:.1f}",
            f"{r['max']:.1f}",
            f"{r['median'] / smallest[r['name']]:.1f}x" if r["name"] in smallest else "",
            str(r["queries"]),
        ]
        for r in sorted(results, key=lambda r: (r["order"], r["size"]))
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    print()
    print(f"Server time, median of {RUNS} runs after a warm-up (django.test.Client, no cache):")
    for row in [headers, ["-" * w for w in widths], *rows]:
        cells = zip(row, widths, strict=True)
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(cells)))


def check_goals(results: list[dict]) -> int:
    """Say which goals the dashboard met in this run (a benchmark reports; it does not fail
    the build)."""
    by = {(r["size"], r["name"]): r["median"] for r in results}
    print()
    for size, names, bound in GOALS:
        for name in names:
            if (size, name) not in by or (min(SIZES), name) not in by:
                continue
            ratio = by[size, name] / by[min(SIZES), name]
            held = "within" if ratio <= bound else "OVER"
            print(f"{name} at {size:,}: {ratio:.1f}x its {min(SIZES):,} time, {held} {bound:g}x.")
    # Timings on a shared machine move with its load; say what it was.
    loads = " ".join(f"{load:.1f}" for load in os.getloadavg())
    print(f"Load average at the end (1, 5, 15 min): {loads} on {os.cpu_count()} cores.")
    return 0


# --- In the child process, on one bench database ------------------------------------


def measure(size: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    prepare(size)
    for order, (name, send, expected) in enumerate(requests()):
        for i in range(2):  # warm-up: connections, templates, the database's caches
            response = send(1000 + i)
            if response.status_code != expected:
                raise SystemExit(f"{name}: HTTP {response.status_code}")
        times, counts = [], []
        for i in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                begin = time.perf_counter()
                response = send(i)
                times.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == expected, (name, response.status_code)
            counts.append(len(queries))
        queries = max(counts) if len(set(counts)) == 1 else f"{min(counts)}-{max(counts)}"
        median = statistics.median(times)
        row = {"size": size, "name": name, "order": order, "median": median}
        row |= {"min": min(times), "max": max(times), "queries": queries}
        print(json.dumps(row), flush=True)


def prepare(size: int) -> None:
    """Migrate the bench database and top its synthetic organisation up to `size`."""
    from django.core.management import call_command
    from django.db import connection

    from rfs.demo.synthetic import generate

    call_command("migrate", verbosity=0, interactive=False)
    summary = generate(n=size)
    if summary.candidates:
        print(f"[bench] generated {summary.candidates:,} candidates in {summary.seconds:.0f} s")
    else:
        print(f"[bench] {summary.existing:,} candidates already there")
    # Settled tables for every run (cheap when nothing changed): fresh statistics, and the
    # visibility map that lets the dashboard read its indexes alone.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def requests() -> list[tuple]:
    """(name, send(i), expected status) of every request measured."""
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from rfs.accounts.models import Role, User
    from rfs.dashboard.forms import MAX_CUSTOM_DAYS

    staff, _ = User.objects.get_or_create(
        email="bench-staff@example.org",
        defaults={"name": "Bench Staff", "roles": [Role.STAFF], "is_staff": True},
    )
    client = Client()
    client.force_login(staff)
    public = Client()
    dashboard = reverse("dashboard:index")
    today = timezone.localdate()
    longest = {
        "period": "custom",
        "start": (today - timedelta(days=MAX_CUSTOM_DAYS - 1)).isoformat(),
        "end": today.isoformat(),
    }

    def view(params: dict):
        return lambda i: client.get(dashboard, params)

    views = [
        (name, view(longest if params == "custom" else params), 200) for name, params in DASHBOARD
    ]
    return [
        *views,
        (
            "candidate list (search 'gar', state CA)",
            lambda i: client.get(reverse("candidates:list"), SEARCH),
            200,
        ),
        (
            "signup POST",
            lambda i: public.post(
                reverse("intake:signup"),
                signup_data(),
                REMOTE_ADDR=f"10.9.{i // 250}.{i % 250}",
            ),
            302,
        ),
    ]


def signup_data() -> dict:
    """A valid signup of a new person (a fresh email and phone each time)."""
    token = uuid.uuid4().int
    return {
        "first_name": "Bench",
        "last_name": "Signup",
        "email": f"bench-{token:x}@example.org",
        "phone": f"+1415{200 + token % 800:03d}{token // 1000 % 10000:04d}",
        "zip_code": "94110",
        "state": "CA",
        "city": "San Francisco",
        "birth_year": "1998",
        "office_level": "city_council",
        "office": "Board of supervisors",
        "election_year": "2028",
        "party": "democrat",
        "source": "friend",
        "why_run": "Rents are out of reach for everyone I grew up with.",
        "needs": ["campaign_plan", "fundraising"],
        "consent": "on",
        "website": "",
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure(int(sys.argv[2]))
    else:
        sys.exit(main())
