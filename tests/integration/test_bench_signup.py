"""A two-second run of the signup benchmark against the bare view: its servers start, its
clients post, every 302 is a row, and it stops what it started."""

import contextlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.signup import bench_database_url, connect

ROOT = Path(__file__).resolve().parents[2]


def test_a_short_run_against_the_bare_view_counts_every_signup():
    env = {
        **os.environ,
        "BENCH_SIGNUP_APPS": "baseline",
        "BENCH_SIGNUP_CLIENTS": "2",
        "BENCH_SIGNUP_SECONDS": "2",
        "BENCH_SIGNUP_WARMUP": "0.5",
    }
    run = subprocess.run(
        [sys.executable, "-m", "bench.signup"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    checked = re.search(r"rows ([\d,]+), 302 answers ([\d,]+): ok", run.stdout)
    assert checked, run.stdout
    assert int(checked[1].replace(",", "")) > 0
    assert re.search(r"bare one-INSERT view +[\d,]+ +[\d,]+ +[\d.]+ +[\d.]+", run.stdout)
    # Its gunicorn is gone: nothing is left connected to the bench database.
    assert connections_to(bench_database_url("baseline")) == 0


def connections_to(url: str) -> int:
    name = urlsplit(url).path.strip("/")
    with contextlib.closing(connect(url, dbname="postgres")) as connection:
        for _ in range(50):  # a closed connection's backend exits a moment later
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name])
                count = cursor.fetchone()[0]
            if count == 0:
                break
            time.sleep(0.1)
    return count
